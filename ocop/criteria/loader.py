"""Loads the criteria sets shipped as YAML in ocop/criteria/data/ into the tables.

Idempotent and conservative: a set or rubric that already exists is never overwritten (a published set
is immutable, a draft may have been completed by the office in the editor). A shipped published set
whose file no longer matches the stored copy is reported, not applied: a new version needs a new code."""

import datetime
import functools
import hashlib
from pathlib import Path

import yaml
from django.db import transaction

from .enums import SetStatus
from .models import CriteriaSet, Rubric
from .scoring import criteria_by_part
from .validation import validate_tree

DATA_DIR = Path(__file__).parent / "data"
ALL_PRODUCT_SETS = list(range(1, 27))


class CriteriaDataError(ValueError):
    pass


class _LineLoader(yaml.SafeLoader):
    """Records the line of every mapping under LINE, so a refusal can name the file's line."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


LINE = "__line__"


def with_lines(text):
    """The JSON/YAML `text` read with the line of every mapping (for messages naming the line), or None
    when it cannot be read that way."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return None


def strip_lines(node):
    """`node` without the LINE keys the reader added (what is stored and served)."""
    if isinstance(node, dict):
        return {k: strip_lines(v) for k, v in node.items() if k != LINE}
    if isinstance(node, list):
        return [strip_lines(v) for v in node]
    return node


def _stars(options):
    """`mandatory_for` from the options' star markers: {"3": points of the option marked ***, ...}."""
    out = {}
    for option in options:
        if option.get("star") is not None:
            out[str(option["star"])] = option.get("points")
    return out


def _expand_criterion(raw):
    criterion = {k: v for k, v in raw.items() if k not in ("points", "options")}
    cid = str(raw["id"])
    if "options" in raw:
        options = raw["options"]
    else:
        options = [
            {"points": p, "text": f"{p} điểm", "text_en": f"{p} point{'s' if p != 1 else ''}"}
            for p in raw["points"]
        ]
    criterion["id"] = cid
    criterion["options"] = [
        {"id": str(o.get("id") or f"{cid}-{i}"), **{k: v for k, v in o.items() if k != "id"}}
        for i, o in enumerate(options, start=1)
    ]
    if "mandatory_for" in criterion:
        criterion["mandatory_for"] = {str(k): v for k, v in criterion["mandatory_for"].items() if k != LINE}
    stars = _stars(criterion["options"])
    if stars:
        criterion["mandatory_for"] = {**stars, **criterion.get("mandatory_for", {})}
    return criterion


def _expand_section(raw):
    section = {"title": raw.get("title", ""), "title_en": raw.get("title_en", "")}
    for key in ("number", "max_points", "notes", "knockouts", LINE):
        if key in raw:
            section[key] = raw[key]
    section["criteria"] = [_expand_criterion(c) for c in raw.get("criteria", ())]
    if raw.get("sections"):
        section["sections"] = [_expand_section(s) for s in raw["sections"]]
    return section


def build_tree(parts, rubric):
    return {
        "parts": [
            {
                **part,
                "sections": [_expand_section(s) for s in (rubric.get("parts") or {}).get(part["code"], [])],
            }
            for part in parts
        ],
        "bonus": strip_lines(rubric.get("bonus") or {}),
        "disqualifiers": rubric.get("disqualifiers") or [],
        **{key: rubric[key] for key in RUBRIC_EXTRAS if rubric.get(key)},
    }


# Per-rubric facts a transcription may carry besides the criteria (QĐ 26/2026: the set's name and
# classification in Annex I, the heading as printed, part-level notes, the copy's slips).
RUBRIC_EXTRAS = ("name", "heading", "classification", "part_notes", "slips")


@functools.cache
def read_file(path):
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    data["source_hash"] = hashlib.sha256(text.encode()).hexdigest()
    return data


def parse(data):
    """(set fields, {product_set: tree}) from a file's data; raises CriteriaDataError when invalid."""
    parts = [
        {
            "code": p["code"],
            "max_points": p["max_points"],
            "title": p.get("title", ""),
            "title_en": p.get("title_en", ""),
        }
        for p in data["parts"]
    ]
    if sum(p["max_points"] for p in parts) != 100:
        raise CriteriaDataError(f"{data['code']}: part maxima must add up to 100")
    valid_from, valid_to = _date(data["valid_from"]), _date(data.get("valid_to"))
    if valid_to and valid_to < valid_from:
        raise CriteriaDataError(f"{data['code']}: valid_to is before valid_from")
    fields = {
        "title": data["title"],
        "title_en": data.get("title_en", ""),
        "legal_basis": data["legal_basis"],
        "legal_note": data.get("legal_note", ""),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "usable": data.get("usable", True),
        "classification": strip_lines(data.get("classification") or []),
        "status": data.get("status", SetStatus.DRAFT),
        "is_demo": bool(data.get("is_demo")),
        "parts": parts,
        "source_hash": data.get("source_hash", ""),
    }
    maxima = {p["code"]: p["max_points"] for p in parts}
    trees = {}
    for rubric in data.get("rubrics", ()):
        sets = ALL_PRODUCT_SETS if rubric["product_sets"] == "all" else rubric["product_sets"]
        tree = build_tree(parts, rubric)
        problems = validate_tree(tree, maxima, complete=fields["status"] == SetStatus.PUBLISHED)
        if problems:
            where = f"line {rubric.get(LINE, '?')}, product sets {rubric['product_sets']}"
            raise CriteriaDataError(f"{data['code']} ({where}): " + "; ".join(problems))
        tree = strip_lines(tree)
        for product_set in sets:
            trees[int(product_set)] = tree
    return fields, trees


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


@transaction.atomic
def load_criteria_sets(paths=None):
    """Create missing sets and rubrics from the YAML files. Returns a list of report lines."""

    report = []
    for path in paths or sorted(DATA_DIR.glob("*.yaml")):
        data = read_file(str(path))
        fields, trees = parse(data)
        criteria_set, created = CriteriaSet.objects.get_or_create(code=data["code"], defaults=fields)
        if not created:
            # Legal validity and Annex I are facts about the decision, not criteria: an installation that
            # loaded the set before they were recorded gets them (the criteria themselves never change).
            legal = {k: fields[k] for k in ("valid_to", "usable", "classification")}
            changed = [k for k, v in legal.items() if getattr(criteria_set, k) != v]
            if changed:
                for key in changed:
                    setattr(criteria_set, key, legal[key])
                criteria_set.save(update_fields=[*changed, "updated_at"])
        if not created and criteria_set.is_published and criteria_set.source_hash != fields["source_hash"]:
            report.append(f"{criteria_set.code}: published set differs from {Path(path).name}; not changed")
            continue
        existing = set(criteria_set.rubrics.values_list("product_set", flat=True))
        Rubric.objects.bulk_create(
            [
                Rubric(
                    criteria_set=criteria_set,
                    product_set=product_set,
                    tree=tree,
                    criteria_count=len(criteria_by_part(tree)),
                )
                for product_set, tree in trees.items()
                if product_set not in existing
            ]
        )
        if created:
            report.append(f"{criteria_set.code}: loaded ({len(trees)} rubrics, {criteria_set.status})")
    return report
