"""Criteria sets and the scoring calculator (architecture §6)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ocop.core.errors import DomainError
from ocop.criteria.models import Rubric
from ocop.criteria.queries import public_tree, published_sets
from ocop.criteria.scoring import ScoreInputError, compute

from ..schemas import Error

router = Router(tags=["criteria"])


class PartMax(Schema):
    code: str
    max_points: int


class CriteriaSetOut(Schema):
    code: str
    legal_basis: str
    valid_from: str
    valid_to: str | None
    status: str
    parts: list[PartMax]


class Bonus(Schema):
    women_led: bool = False
    ethnic_minority_led: bool = False


class KnockoutIn(Schema):
    criterion: str | None = None
    reason: str = ""


class ScoreIn(Schema):
    answers: dict[str, str | int | list[str | int]]
    # Accepted for compatibility; adds nothing under QĐ 26/2026, where criterion 3.2 is part of part A.
    bonus: Bonus = Bonus()
    # Knock-outs found: a criterion id (its note in the sheet is the reason), "disqualifier:N" (the set's
    # N-th "Hồ sơ bị loại khi" line) or {"criterion": id or null, "reason": text}.
    knockouts: list[str | KnockoutIn] = []


class ScoreOut(Schema):
    total: float
    parts: dict[str, float]
    star: int
    potential_5_star: bool
    unmet_mandatory: list[dict]
    knockouts: list[dict]


@router.get("/criteria-sets", response=list[CriteriaSetOut])
def criteria_sets(request):
    """Published criteria sets with their part maxima."""
    return [
        {
            "code": s.code,
            "legal_basis": s.legal_basis,
            "valid_from": s.valid_from.isoformat(),
            "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            "status": s.status,
            "parts": s.part_maxima(),
        }
        for s in published_sets()
    ]


def _rubric(code, product_set):
    return get_object_or_404(
        Rubric.objects.select_related("criteria_set").filter(criteria_set__status="published"),
        criteria_set__code=code,
        product_set=product_set,
    )


@router.get("/criteria-sets/{code}/{int:product_set}", response={200: dict, 404: Error})
def rubric_tree(request, code: str, product_set: int):
    """The whole rubric of one product set: parts, sections, criteria, options, mandatory minimums."""
    rubric = _rubric(code, product_set)
    body = {"code": code, "product_set": product_set, "parts": public_tree(rubric.tree)}
    if rubric.tree.get("disqualifiers"):
        body["disqualifiers"] = rubric.tree["disqualifiers"]
    return body


@router.post(
    "/criteria-sets/{code}/{int:product_set}/score", response={200: ScoreOut, 404: Error, 422: Error}
)
def score(request, code: str, product_set: int, payload: ScoreIn):
    """Total, per-part totals, star and unmet mandatory criteria for one set of answers."""
    rubric = _rubric(code, product_set)
    try:
        knockouts = [k if isinstance(k, str) else k.dict() for k in payload.knockouts]
        result = compute(rubric.tree, payload.answers, payload.bonus.dict(), knockouts)
    except ScoreInputError as exc:
        raise DomainError(exc.message, code=exc.code, status=422) from exc
    return result.as_json()
