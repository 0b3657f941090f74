"""The layout rules of docs/architecture.md ("Layout"), read from the code's imports with `ast` (every
import, inside functions too):

- the import graph between apps has no cycle (none is allowed: ALLOWED_CYCLES is empty);
- a data app never imports a view app (api, backoffice, catalog);
- no app imports the project modules (settings, urls, wsgi, warm-up) or the demo data, which sit above
  every app;
- inside an app, no two files import each other, directly or through others;
- an import inside a function says why in a comment (on its line or the line above), or its file says
  once why its imports wait (a comment starting "# Imports inside functions:").

Each rule is a function of the graph, so the tests below also show it failing on a graph that breaks it."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "ocop"

VIEW_APPS = frozenset({"api", "backoffice", "catalog"})
DATA_APPS = frozenset(
    {
        "core",
        "geo",
        "accounts",
        "registry",
        "criteria",
        "certificates",
        "evaluation",
        "stamps",
        "programme",
        "market",
        "reports",
    }
)
# Above every app: the project's own modules (they wire the apps together) ...
PROJECT = "project"
PROJECT_MODULES = frozenset({"settings", "test_settings", "urls", "wsgi", "warmup", "dbrouter", "formats"})
# ... and the demo data, which seeds every data app (core.demo runs each app's `demo` module by name).
DEMO = "demo"
# App-level cycles allowed, {frozenset({a, b}): reason}. None today; add one only with its reason.
ALLOWED_CYCLES = {}
LAZY_FILE_MARK = "# Imports inside functions:"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module):
    """The app (or PROJECT, DEMO) a module belongs to."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in PROJECT_MODULES:
        return PROJECT
    leaf = parts[-1]
    if leaf == "demo" or leaf.startswith("demo_") or module.endswith("management.commands.seed_demo"):
        return DEMO
    return parts[1]


def read_modules():
    """{module name: path} of every Python file of the package (migrations included)."""
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imports_of(module, path, known):
    """[(imported module, line, inside a function)] of one file, resolved to modules of `known`
    (`from x import y` is x.y when y is a module, else x). Packages that contain the file are left out:
    importing a sibling loads them anyway."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(sub) for sub in ast.walk(node) if sub is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" for alias in node.names] + [source]
        else:
            continue
        for name in targets:
            target = name
            while target and target not in known:
                target = target.rpartition(".")[0]
            if not target.startswith(PACKAGE + ".") or target == module or module.startswith(target + "."):
                continue
            found.append((target, node.lineno, id(node) in in_function))
    return found


@pytest.fixture(scope="module")
def graph():
    """{module: {imported module: first line}} over the whole package."""
    modules = read_modules()
    edges = defaultdict(dict)
    for module, path in modules.items():
        for target, line, _inside in imports_of(module, path, modules):
            edges[module].setdefault(target, line)
    return edges


def app_edges(graph):
    """{(app, app): [an example "module:line -> module"]} between different layers."""
    found = defaultdict(list)
    for module, targets in graph.items():
        for target, line in targets.items():
            a, b = layer_of(module), layer_of(target)
            if a != b:
                found[(a, b)].append(f"{module}:{line} -> {target}")
    return found


def cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


# The rules, as functions of a graph ---------------------------------------------------------------


def app_cycle_faults(graph):
    found = app_edges(graph)
    apps = defaultdict(set)
    for a, b in found:
        apps[a].add(b)
    faults = []
    for component in cycles(set(apps) | {b for _a, b in found}, apps):
        if frozenset(component) in ALLOWED_CYCLES:
            continue
        examples = [f"  {found[(a, b)][0]}" for a in component for b in component if (a, b) in found]
        faults.append(f"apps import each other: {' <-> '.join(component)}\n" + "\n".join(examples))
    return faults


def data_to_view_faults(graph):
    return [
        f"{a} (data) imports {b} (view): {example}"
        for (a, b), examples in sorted(app_edges(graph).items())
        for example in examples[:1]
        if (a in DATA_APPS or a == DEMO) and b in VIEW_APPS
    ]


def upward_faults(graph):
    """Apps importing the project modules or the demo data (which sit above them)."""
    return [
        f"{a} imports {b}: {examples[0]}"
        for (a, b), examples in sorted(app_edges(graph).items())
        if b in (PROJECT, DEMO) and a not in (PROJECT, DEMO)
    ]


def file_cycle_faults(graph):
    inside = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if layer_of(module) == layer_of(target):
                inside[module].add(target)
    nodes = set(inside) | {t for targets in inside.values() for t in targets}
    return [f"files import each other: {' <-> '.join(c)}" for c in cycles(nodes, inside)]


def _explained(lines, number):
    """A comment on the import's line, or above the run of import lines it is part of."""
    if "#" in lines[number - 1]:
        return True
    above = number - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")) and "#" not in lines[above]:
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def unexplained_function_imports(root=ROOT):
    """Imports inside functions (of the package, third-party or standard library) without a reason."""
    faults = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if LAZY_FILE_MARK in text:
            continue
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom) and not _explained(lines, sub.lineno):
                    faults.append(
                        f"{path.relative_to(root).as_posix()}:{sub.lineno}: {lines[sub.lineno - 1].strip()}"
                    )
    return sorted(set(faults))


# The code follows them ------------------------------------------------------------------------------


def test_every_app_is_classified():
    apps = {p.name for p in (ROOT / PACKAGE).iterdir() if (p / "apps.py").exists()}
    assert apps <= DATA_APPS | VIEW_APPS, apps - DATA_APPS - VIEW_APPS


def test_no_import_cycle_between_apps(graph):
    assert app_cycle_faults(graph) == []


def test_data_apps_never_import_view_apps(graph):
    assert data_to_view_faults(graph) == []


def test_apps_never_import_the_project_or_the_demo(graph):
    assert upward_faults(graph) == []


def test_no_import_cycle_between_files_of_an_app(graph):
    assert file_cycle_faults(graph) == []


def test_an_import_inside_a_function_says_why():
    assert unexplained_function_imports() == []


# ... and each rule fails when broken ------------------------------------------------------------------


def _with(graph, *extra):
    broken = defaultdict(dict, {m: dict(t) for m, t in graph.items()})
    for source, target in extra:
        broken[source][target] = 1
    return broken


def test_a_cycle_between_apps_is_found(graph):
    broken = _with(graph, ("ocop.registry.models", "ocop.certificates.models"))
    faults = app_cycle_faults(broken)
    assert len(faults) == 1 and faults[0].startswith("apps import each other: ")
    assert "certificates" in faults[0].splitlines()[0] and "registry" in faults[0].splitlines()[0]
    assert "ocop.registry.models:1 -> ocop.certificates.models" in faults[0]


def test_a_data_app_importing_a_view_app_is_found(graph):
    broken = _with(graph, ("ocop.certificates.domain", "ocop.catalog.readmodel"))
    assert data_to_view_faults(broken) == [
        "certificates (data) imports catalog (view): ocop.certificates.domain:1 -> ocop.catalog.readmodel"
    ]


def test_an_app_importing_the_project_is_found(graph):
    broken = _with(graph, ("ocop.core.views", "ocop.wsgi"))
    assert upward_faults(broken) == ["core imports project: ocop.core.views:1 -> ocop.wsgi"]


def test_a_cycle_between_files_is_found(graph):
    broken = _with(graph, ("ocop.stamps.scanbuffer", "ocop.stamps.scans"))
    assert file_cycle_faults(broken) == [
        "files import each other: ocop.stamps.scanbuffer <-> ocop.stamps.scans"
    ]


def test_an_unexplained_import_inside_a_function_is_found(tmp_path):
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "def f():\n    import json  # a reason\n\n\ndef g():\n    # a reason\n    import os\n    import sys\n\n\n"
        "def h():\n    import re\n"
    )
    assert unexplained_function_imports(tmp_path) == ["ocop/a.py:12: import re"]
    (package / "a.py").write_text(
        "# Imports inside functions: a reason for the file.\n\ndef h():\n    import re\n"
    )
    assert unexplained_function_imports(tmp_path) == []
