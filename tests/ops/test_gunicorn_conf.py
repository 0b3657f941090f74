"""The production gunicorn configuration, and the benchmarks start the server with exactly it."""

import ast
import runpy
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = "deploy/gunicorn.conf.py"


def gunicorn_commands(path):
    """The gunicorn command lines a script builds: its list literals that mention gunicorn, as argv
    (string items as they are, anything computed as None)."""
    commands = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.List) and "gunicorn" in ast.unparse(node):
            commands.append(
                [
                    e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else None
                    for e in node.elts
                ]
            )
    return commands


def bench_scripts_starting_gunicorn():
    return [p for p in sorted((ROOT / "bench").glob("*.py")) if "gunicorn" in p.read_text()]


def test_there_is_no_bench_only_gunicorn_configuration():
    assert not (ROOT / "bench/gunicorn_verify.py").exists()
    assert [p.name for p in (ROOT / "bench").glob("*.py") if "gunicorn" in p.name] == []


@pytest.mark.parametrize("script", bench_scripts_starting_gunicorn(), ids=lambda p: p.name)
def test_every_benchmark_starts_gunicorn_with_the_deploy_configuration(script):
    commands = gunicorn_commands(script)
    assert commands, f"{script.name} mentions gunicorn but builds no command line"
    for argv in commands:
        assert "-c" in argv, argv
        assert argv[argv.index("-c") + 1] == CONF, argv
        # nothing on the command line overrides the configuration (bind and workers go by its env vars)
        assert not {"-w", "--workers", "-b", "--bind", "-k", "--worker-class", "--max-requests"} & set(
            argv
        ), argv
        assert not any(item and item.startswith("--access-log") for item in argv), argv


def test_the_benchmarks_that_need_a_server_all_start_one():
    assert {p.name for p in bench_scripts_starting_gunicorn()} >= {
        "verify_load.py",
        "catalog_bench.py",
        "load_mixed.py",
    }


def _load(monkeypatch, **env):
    for name in ("GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESSLOG", "GUNICORN_MAX_RSS_MB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / CONF))


def test_configuration_has_no_periodic_restarts_and_preloads(monkeypatch):
    conf = _load(monkeypatch)
    assert (conf["worker_class"], conf["max_requests"], conf["preload_app"], conf["accesslog"]) == (
        "sync",
        0,
        True,
        None,
    )
    for hook in ("when_ready", "post_fork", "post_worker_init", "post_request", "worker_exit"):
        assert callable(conf[hook])


def test_opt_in_restarts_are_spread_by_a_large_jitter(monkeypatch):
    conf = _load(monkeypatch, GUNICORN_MAX_REQUESTS="100000")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (100000, 50000)


def test_memory_watchdog_retires_a_worker_over_the_limit_only(monkeypatch):
    conf = _load(monkeypatch, GUNICORN_MAX_RSS_MB="1")  # any Python process is above 1 MB
    worker = types.SimpleNamespace(pid=1, alive=True)
    conf["post_fork"](None, worker)
    for _ in range(conf["WATCH_EVERY"] - 1):
        conf["post_request"](worker, None, {}, None)
    assert worker.alive is True  # read only every WATCH_EVERY requests
    conf["post_request"](worker, None, {}, None)
    assert worker.alive is False

    conf = _load(monkeypatch, GUNICORN_MAX_RSS_MB="1000000")
    worker = types.SimpleNamespace(pid=1, alive=True)
    conf["post_fork"](None, worker)
    for _ in range(conf["WATCH_EVERY"]):
        conf["post_request"](worker, None, {}, None)
    assert worker.alive is True
