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
from .validation import validate_tree

DATA_DIR = Path(__file__).parent / "data"
ALL_PRODUCT_SETS = list(range(1, 27))


class CriteriaDataError(ValueError):
    pass


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
        criterion["mandatory_for"] = {str(k): v for k, v in criterion["mandatory_for"].items()}
    return criterion


def _expand_section(raw):
    section = {"title": raw.get("title", ""), "title_en": raw.get("title_en", "")}
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
        "bonus": rubric.get("bonus") or {},
        "disqualifiers": rubric.get("disqualifiers") or [],
    }


@functools.cache
def read_file(path):
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
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
    valid_from = data["valid_from"]
    if not isinstance(valid_from, datetime.date):
        valid_from = datetime.date.fromisoformat(str(valid_from))
    fields = {
        "title": data["title"],
        "title_en": data.get("title_en", ""),
        "legal_basis": data["legal_basis"],
        "legal_note": data.get("legal_note", ""),
        "valid_from": valid_from,
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
            raise CriteriaDataError(f"{data['code']}: " + "; ".join(problems))
        for product_set in sets:
            trees[int(product_set)] = tree
    return fields, trees


@transaction.atomic
def load_criteria_sets(paths=None):
    """Create missing sets and rubrics from the YAML files. Returns a list of report lines."""
    from .models import CriteriaSet, Rubric
    from .scoring import criteria_by_part

    report = []
    for path in paths or sorted(DATA_DIR.glob("*.yaml")):
        data = read_file(str(path))
        fields, trees = parse(data)
        criteria_set, created = CriteriaSet.objects.get_or_create(code=data["code"], defaults=fields)
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
