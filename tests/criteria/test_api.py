"""GET /api/v1/criteria-sets, the rubric tree, and the score calculator (architecture §6)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.integration

QD1048 = {
    "legal_basis": "QĐ 1048/QĐ-TTg ngày 21/8/2019; QĐ 781/QĐ-TTg ngày 8/6/2020",
    "valid_from": "2019-08-21",
    "valid_to": "2023-02-23",
    "status": "published",
    "parts": [
        {"code": "A", "max_points": 35},
        {"code": "B", "max_points": 25},
        {"code": "C", "max_points": 40},
    ],
}


def test_criteria_sets_lists_published_only(db):
    response = Client().get("/api/v1/criteria-sets")
    assert (response.status_code, response.json()) == (
        200,
        [
            {
                "code": "QD26-2026",
                "legal_basis": "QĐ 26/2026/QĐ-TTg ngày 22/5/2026, Điều 3, Phụ lục I, Phụ lục II",
                "valid_from": "2026-05-22",
                "valid_to": None,
                "status": "published",
                "parts": [
                    {"code": "A", "max_points": 40},
                    {"code": "B", "max_points": 25},
                    {"code": "C", "max_points": 35},
                ],
            },
            {"code": "QD1048-2019", **QD1048},
            {"code": "QD1048-2019-R2", **QD1048},
        ],
    )


def test_rubric_tree_shape(db):
    body = Client().get("/api/v1/criteria-sets/QD1048-2019/1").json()
    first = body["parts"][0]["sections"][0]
    assert (body["code"], body["product_set"], [p["code"] for p in body["parts"]]) == (
        "QD1048-2019",
        1,
        ["A", "B", "C"],
    )
    assert first["criteria"][0] == {
        "id": "A1.1",
        "text": "Nguồn nguyên liệu từ địa phương (trong tỉnh)",
        "options": [
            {"id": "A1.1-1", "text": "Dưới 50%", "points": 1},
            {"id": "A1.1-2", "text": "Từ 50% đến dưới 75%", "points": 2},
            {"id": "A1.1-3", "text": "Từ 75% đến 100%", "points": 3},
        ],
        "mandatory_for": {},
    }


def test_rubric_tree_unknown_set_404(db):
    response = Client().get("/api/v1/criteria-sets/QD148-2023/1")  # a draft is not public
    assert (response.status_code, response.json()) == (404, {"code": "not_found", "message": "Not found."})


def _best_answers():
    body = Client().get("/api/v1/criteria-sets/QD1048-2019/1").json()
    answers = {}

    def walk(section):
        for c in section["criteria"]:
            answers[c["id"]] = max(c["options"], key=lambda o: o["points"])["id"]
        for s in section.get("sections", []):
            walk(s)

    for part in body["parts"]:
        for section in part["sections"]:
            walk(section)
    return answers


def _score(payload):
    return Client().post(
        "/api/v1/criteria-sets/QD1048-2019/1/score", payload, content_type="application/json"
    )


def test_score_happy_path(db):
    answers = _best_answers()
    answers["C2.1"] = "C2.1-1"
    response = _score({"answers": answers, "bonus": {"women_led": True, "ethnic_minority_led": False}})
    assert (response.status_code, response.json()) == (
        200,
        {
            "total": 98.0,
            "parts": {"A": 35.0, "B": 25.0, "C": 38.0},
            "star": 2,
            "potential_5_star": False,
            "unmet_mandatory": [{"criterion": "C2.1", "star": 3, "required": 1.0, "points": 0.0}],
            "knockouts": [],
        },
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda a: a.update({"X1": "X1-1"}),
            {"code": "unknown_criterion", "message": "unknown criterion: X1"},
        ),
        (
            lambda a: a.update({"A1.1": "C3.1-1"}),
            {
                "code": "option_of_other_criterion",
                "message": "criterion A1.1: option C3.1-1 belongs to criterion C3.1",
            },
        ),
        (lambda a: a.pop("C3.1"), {"code": "missing_criterion", "message": "missing criterion: C3.1"}),
        (
            lambda a: a.update({"A1.2": ["A1.2-1", "A1.2-2"]}),
            {"code": "several_options", "message": "criterion A1.2: choose one option, not 2"},
        ),
    ],
)
def test_score_bad_answers_422(db, change, expected):
    answers = _best_answers()
    change(answers)
    response = _score({"answers": answers})
    assert (response.status_code, response.json()) == (422, expected)


def test_score_malformed_body_422(db):
    response = _score({"answers": "nope"})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
