"""Shipped criteria sets load into tables, validate, and a published set is immutable."""

import copy

import pytest
from django.utils import translation

from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.criteria.domain import publish_set, update_rubric
from ocop.criteria.loader import load_criteria_sets
from ocop.criteria.models import CriteriaSet, Rubric
from ocop.criteria.validation import validate_tree

pytestmark = pytest.mark.integration


def test_shipped_sets_loaded_after_migrate(db):
    sets = {s.code: (s.status, s.part_maxima(), s.rubrics.count()) for s in CriteriaSet.objects.all()}
    assert sets == {
        "QD1048-2019-R2": (
            "published",
            [
                {"code": "A", "max_points": 35},
                {"code": "B", "max_points": 25},
                {"code": "C", "max_points": 40},
            ],
            1,
        ),
        "QD1048-2019": (
            "published",
            [
                {"code": "A", "max_points": 35},
                {"code": "B", "max_points": 25},
                {"code": "C", "max_points": 40},
            ],
            1,
        ),
        "QD148-2023": (
            "draft",
            [
                {"code": "A", "max_points": 40},
                {"code": "B", "max_points": 25},
                {"code": "C", "max_points": 35},
            ],
            26,
        ),
        "QD26-2026": (
            "published",
            [
                {"code": "A", "max_points": 40},
                {"code": "B", "max_points": 25},
                {"code": "C", "max_points": 35},
            ],
            26,
        ),
    }


def test_load_is_idempotent(db):
    assert load_criteria_sets() == []
    assert Rubric.objects.count() == 54


def test_validate_tree_reports_wrong_totals_and_duplicates(db):
    tree = copy.deepcopy(Rubric.objects.get(criteria_set__code="QD1048-2019").tree)
    tree["parts"][0]["sections"][0]["criteria"][0]["options"][0]["points"] = 99
    tree["parts"][1]["sections"][0]["criteria"][1]["id"] = "B1.1"
    with translation.override("en"):
        problems = validate_tree(tree, {"A": 35, "B": 25, "C": 40})
    assert problems == [
        "Criterion A1.1: option A1.1-1 gives 99 points, more than part A allows (35).",
        "Part A: the best options add up to 131 points, but the part is worth 35.",
        "Criterion id B1.1 is used twice.",
    ]
    tree["parts"][2]["sections"][0]["criteria"].pop()
    with translation.override("vi"):
        assert validate_tree(tree, {"A": 35, "B": 25, "C": 40})[-1] == (
            "Phần C: các mức cao nhất cộng lại được 35 điểm, nhưng phần này có 40 điểm."
        )


def test_update_rubric_published_set_refused(db, vinh_long_officer):
    rubric = Rubric.objects.get(criteria_set__code="QD1048-2019")
    with pytest.raises(InvalidTransition):
        update_rubric(rubric, {"parts": []}, actor=vinh_long_officer)
    assert Rubric.objects.get(pk=rubric.pk).tree == rubric.tree


def test_publish_incomplete_draft_refused(db, vinh_long_officer):
    criteria_set = CriteriaSet.objects.get(code="QD148-2023")
    with pytest.raises(DomainError) as caught:
        publish_set(criteria_set, actor=vinh_long_officer)
    assert (caught.value.code, CriteriaSet.objects.get(pk=criteria_set.pk).status) == (
        "incomplete_set",
        "draft",
    )


def test_publish_complete_draft_logs(db, vinh_long_officer):
    source = CriteriaSet.objects.get(code="QD26-2026")
    criteria_set = CriteriaSet.objects.create(
        code="TEST-DRAFT",
        title="Bản nháp thử",
        legal_basis="thử",
        valid_from=source.valid_from,
        parts=source.parts,
    )
    Rubric.objects.bulk_create(
        Rubric(criteria_set=criteria_set, product_set=r.product_set, tree=r.tree)
        for r in source.rubrics.all()
    )
    publish_set(criteria_set, actor=vinh_long_officer)
    log = ActivityLog.objects.get(action="criteria.set.published")
    assert (CriteriaSet.objects.get(pk=criteria_set.pk).status, log.data) == (
        "published",
        {"from": "draft", "to": "published", "rubrics": 26},
    )


def test_update_rubric_by_producer_forbidden(db, producer):
    from django.core.exceptions import PermissionDenied

    rubric = Rubric.objects.get(criteria_set__code="QD148-2023", product_set=1)
    with pytest.raises(PermissionDenied):
        update_rubric(rubric, rubric.tree, actor=producer)


def test_qd1048_revision_drops_the_invented_intermediate_options(db):
    old = {
        c["id"]: [o["points"] for o in c["options"]]
        for c in Rubric.objects.get(criteria_set__code="QD1048-2019").criteria()
    }
    new_rubric = Rubric.objects.get(criteria_set__code="QD1048-2019-R2")
    new = {c["id"]: [o["points"] for o in c["options"]] for c in new_rubric.criteria()}
    changed = {cid: (old[cid], new[cid]) for cid in old if old[cid] != new[cid]}
    assert changed == {
        "B1.1": ([1, 2, 3, 4, 5], [1, 2, 3, 5]),
        "B1.2": ([0, 1, 2, 3, 4, 5], [0, 1, 3, 5]),
        "B1.3": ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 5]),
        "C1.2": ([0, 2, 4, 6, 8], [0, 1, 3, 5, 8]),
        "C1.7": ([0, 1, 2, 3, 4, 5], [0, 1, 3, 5]),
        "C3.1": ([1, 2, 3, 4, 5], [1, 3, 5]),
    }
    assert all(c.get("source") == "dump-2020" for c in new_rubric.criteria() if c["id"] in changed)
    assert new_rubric.criteria_set.parts[0]["title"] == "Sản phẩm và sức mạnh của cộng đồng"
    assert not CriteriaSet.objects.get(code="QD1048-2019").usable  # superseded, kept for past scores
