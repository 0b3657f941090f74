"""QĐ 26/2026 Art. 3 scoring (bands, star minima, 3.2 inside part A, knock-outs), legal validity of the
criteria sets, and refusal of data that breaks the law's structure."""

import datetime
import textwrap
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.core.dates import today
from ocop.core.errors import DomainError
from ocop.core.locking import LOCK_FIELD, token_of
from ocop.core.permissions import SYSTEM
from ocop.criteria.loader import DATA_DIR, CriteriaDataError, load_criteria_sets, parse, read_file
from ocop.criteria.models import CriteriaSet
from ocop.criteria.queries import ensure_in_force, sets_in_force
from ocop.criteria.scoring import ScoreInputError, aggregate, band, compute, criteria_by_part

TREES = parse(read_file(str(DATA_DIR / "QD26-2026.yaml")))[1]


def best(tree):
    return {c["id"]: max(c["options"], key=lambda o: o["points"])["id"] for _, c in criteria_by_part(tree)}


def worst(tree):
    return {c["id"]: min(c["options"], key=lambda o: o["points"])["id"] for _, c in criteria_by_part(tree)}


def option_with(tree, cid, points):
    criterion = next(c for _, c in criteria_by_part(tree) if c["id"] == cid)
    return next(o["id"] for o in criterion["options"] if o["points"] == points)


# --- Art. 3: bands and star minima -------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("total", "star"),
    [
        (0, 1),
        ("29.99", 1),
        (30, 2),
        ("49.99", 2),
        (50, 3),
        ("69.99", 3),
        (70, 4),
        ("89.99", 4),
        (90, 5),
        (100, 5),
    ],
)
def test_art_3_bands(total, star):
    assert band(Decimal(str(total))) == star


@pytest.mark.unit
@pytest.mark.parametrize("product_set", range(1, 27))
def test_best_answers_give_100_and_5_stars_in_every_set(product_set):
    result = compute(TREES[product_set], best(TREES[product_set]))
    assert (result.total, result.star, result.unmet_mandatory, result.knockouts) == (Decimal(100), 5, [], [])


@pytest.mark.unit
def test_a_missed_5_star_marker_caps_at_4():
    tree = TREES[1]
    answers = best(tree)
    answers["1.3"] = option_with(tree, "1.3", 2)  # 1.3's ***** option is worth 3
    result = compute(tree, answers)
    assert (result.total, result.band_star, result.star) == (Decimal(99), 5, 4)
    assert result.unmet_mandatory == [{"criterion": "1.3", "star": 5, "required": 3.0, "points": 2.0}]


@pytest.mark.unit
def test_a_missed_3_star_marker_caps_at_2_whatever_the_total():
    tree = TREES[1]
    answers = best(tree)
    answers["2.2"] = option_with(tree, "2.2", 1)  # *** is on "Đóng gói sáng tạo, bao bì đẹp" (2 points)
    result = compute(tree, answers)
    assert (result.total, result.star) == (Decimal(98), 2)


@pytest.mark.unit
def test_council_minimum_is_judged_on_the_average_per_criterion():
    tree = TREES[1]
    high, low = best(tree), best(tree)
    low["1.3"] = option_with(tree, "1.3", 2)
    # average on 1.3 is 2.5 < 3 (the ***** option): not reached, although one member chose it
    result = aggregate(tree, [high, low])
    assert (result.total, result.star) == (Decimal("99.50"), 4)
    assert aggregate(tree, [high, high]).star == 5


@pytest.mark.unit
def test_criterion_3_2_is_inside_part_a_and_bonus_adds_nothing():
    tree = TREES[1]
    answers = worst(tree)
    base = compute(tree, answers)
    with_flags = compute(tree, answers, {"women_led": True, "ethnic_minority_led": True})
    assert with_flags.total == base.total and with_flags.bonus == 0
    answers["3.2"] = option_with(tree, "3.2", 1)
    result = compute(tree, answers)
    assert (result.total - base.total, result.parts["A"] - base.parts["A"]) == (1, 1)
    assert compute(tree, best(tree), {"women_led": True}).total == 100


def _answers_strategy(tree):
    return st.fixed_dictionaries(
        {c["id"]: st.sampled_from([o["id"] for o in c["options"]]) for _, c in criteria_by_part(tree)}
    )


@pytest.mark.unit
@settings(max_examples=150, deadline=None)
@given(data=st.data(), product_set=st.sampled_from([1, 11, 26]))
def test_property_star_is_band_capped_by_every_marker(data, product_set):
    tree = TREES[product_set]
    answers = data.draw(_answers_strategy(tree))
    result = compute(tree, answers)
    points = {
        c["id"]: next(o["points"] for o in c["options"] if o["id"] == answers[c["id"]])
        for _, c in criteria_by_part(tree)
    }
    assert Decimal(0) <= result.total <= Decimal(100) and result.total == sum(points.values())
    # the star is the highest s <= band such that every option marked for 3..s is reached
    expected = result.band_star
    for star in (3, 4, 5):
        missed = any(
            points[c["id"]] < Decimal(str(c.get("mandatory_for", {}).get(str(t), 0)))
            for _, c in criteria_by_part(tree)
            for t in range(3, star + 1)
        )
        if missed and expected >= star:
            expected = star - 1
    assert result.star == expected
    assert result.potential_5_star == (result.star == 5)


# --- knock-outs ----------------------------------------------------------------------------------------


@pytest.mark.unit
def test_knockout_from_the_sheet_note_removes_the_dossier_from_scoring():
    tree = TREES[11]
    result = compute(tree, {}, knockouts=["1.1"])
    assert result.knockouts == [
        {
            "criterion": "1.1",
            "reason": "Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu hoặc không rõ nguồn gốc",
        }
    ]
    assert (result.star, result.potential_5_star, result.as_json()["knockouts"]) == (
        1,  # the band of 0 points: `star` stays within 1..5 (API contract); `knockouts` says "not rated"
        False,
        result.knockouts,
    )


@pytest.mark.unit
def test_knockout_by_disqualifier_line_and_free_reason():
    tree = TREES[1]
    result = compute(
        tree, best(tree), knockouts=["disqualifier:1", {"criterion": None, "reason": "Giả mạo hồ sơ"}]
    )
    assert [k["criterion"] for k in result.knockouts] == [None, None]
    assert result.knockouts[0]["reason"].startswith("Giả mạo hồ sơ hoặc không tuân thủ")
    assert (result.total, result.star, result.potential_5_star) == (100, 5, False)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("knockouts", "code"),
    [
        (["9.9"], "unknown_criterion"),
        (["1.2"], "bad_knockouts"),
        (["disqualifier:7"], "bad_knockouts"),
        ("1.1", "bad_knockouts"),
    ],
)
def test_bad_knockouts_are_refused(knockouts, code):
    with pytest.raises(ScoreInputError) as caught:
        compute(TREES[11], best(TREES[11]), knockouts=knockouts)
    assert caught.value.code == code


@pytest.mark.unit
def test_no_knockout_keeps_an_empty_list_and_needs_every_answer():
    tree = TREES[26]
    assert compute(tree, best(tree)).knockouts == []
    with pytest.raises(ScoreInputError):
        compute(tree, {})


# --- the API ---------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_api_serves_qd26_for_each_set_with_markers_and_disqualifiers(db):
    for product_set in (1, 11, 26):
        body = Client().get(f"/api/v1/criteria-sets/QD26-2026/{product_set}").json()
        assert [p["max_points"] for p in body["parts"]] == [40, 25, 35]
    body = Client().get("/api/v1/criteria-sets/QD26-2026/1").json()
    criterion = body["parts"][0]["sections"][0]["criteria"][2]
    assert (criterion["id"], criterion["mandatory_for"], criterion["options"][2]["star"]) == (
        "1.3",
        {"5": 3},
        5,
    )
    assert body["disqualifiers"][0].startswith("Giả mạo hồ sơ")


@pytest.mark.integration
def test_api_score_with_knockout_and_422_for_a_bad_one(db):
    url = "/api/v1/criteria-sets/QD26-2026/11/score"
    response = Client().post(url, {"answers": {}, "knockouts": ["1.1"]}, content_type="application/json")
    assert (response.status_code, response.json()["star"], response.json()["knockouts"][0]["criterion"]) == (
        200,
        1,
        "1.1",
    )
    response = Client().post(url, {"answers": {}, "knockouts": ["9.9"]}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "unknown_criterion")
    response = Client().post(url, {"answers": {}}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "missing_criterion")


# --- legal validity --------------------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (datetime.date(2020, 1, 1), ["QD1048-2019-R2"]),
        (datetime.date(2023, 2, 23), ["QD1048-2019-R2"]),
        (datetime.date(2023, 2, 24), []),  # QĐ 148's only copy is structure without text: not usable
        (datetime.date(2026, 5, 22), ["QD26-2026"]),
        (datetime.date(2026, 7, 21), ["QD26-2026"]),
    ],
)
def test_sets_in_force(db, day, codes):
    assert sorted(s.code for s in sets_in_force(day)) == codes


@pytest.mark.integration
def test_overlap_of_art_11_offers_both_when_qd148_is_usable(db):
    CriteriaSet.objects.filter(code="QD148-2023").update(usable=True, status="published")
    assert sorted(s.code for s in sets_in_force(datetime.date(2026, 6, 1))) == ["QD148-2023", "QD26-2026"]
    assert [s.code for s in sets_in_force(datetime.date(2026, 7, 21))] == ["QD26-2026"]


@pytest.mark.integration
def test_ensure_in_force_refuses_with_a_vietnamese_message(db):
    old = CriteriaSet.objects.get(code="QD1048-2019")
    with pytest.raises(DomainError) as caught:
        ensure_in_force(old, datetime.date(2026, 6, 1))
    assert (caught.value.code, caught.value.status) == ("set_not_in_force", 422)
    assert "hết hiệu lực" in caught.value.message and "23/02/2023" in caught.value.message
    new = CriteriaSet.objects.get(code="QD26-2026")
    with pytest.raises(DomainError) as caught:
        ensure_in_force(new, datetime.date(2026, 5, 21))
    assert "22/05/2026" in caught.value.message
    ensure_in_force(new, datetime.date(2026, 5, 22))
    with pytest.raises(DomainError) as caught:
        ensure_in_force(CriteriaSet.objects.get(code="QD148-2023"), datetime.date(2026, 6, 1))
    assert caught.value.code == "set_not_in_force"


@pytest.mark.integration
def test_round_with_a_lapsed_set_is_refused(db, ben_tre):
    from ocop.evaluation import domain
    from ocop.evaluation.models import Round

    day = today()
    with pytest.raises(DomainError) as caught:
        domain.create_round(
            actor=SYSTEM,
            province=ben_tre,
            name="Đợt thử",
            year=day.year,
            criteria_set=CriteriaSet.objects.get(code="QD1048-2019"),
            submission_deadline=day,
            review_deadline=day,
            council_date=day,
        )
    assert (caught.value.code, Round.objects.count()) == ("set_not_in_force", 0)


# --- bad input -------------------------------------------------------------------------------------------

GOOD = """\
code: TEST-BAD
title: Thử
legal_basis: thử
valid_from: 2026-05-22
status: published
parts:
  - {code: A, max_points: 40}
  - {code: B, max_points: 25}
  - {code: C, max_points: 35}
rubrics:
  - product_sets: [1]
    parts:
      A:
        - number: "1"
          title: Một
          max_points: 40
          criteria:
            - id: "1.1"
              text: Tiêu chí
              options:
                - {text: thấp, points: 0}
                - {text: cao, points: 40, star: 3}
      B:
        - title: Hai
          criteria:
            - {id: "4.1", text: B, options: [{text: thấp, points: 0}, {text: cao, points: 25}]}
      C:
        - title: Ba
          criteria:
            - {id: "6", text: C, options: [{text: thấp, points: 0}, {text: cao, points: 35}]}
"""


def _write(tmp_path, text):
    path = tmp_path / "TEST-BAD.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    read_file.cache_clear()
    return path


@pytest.mark.integration
def test_a_valid_file_loads(db, tmp_path):
    assert load_criteria_sets([_write(tmp_path, GOOD)]) == ["TEST-BAD: loaded (1 rubrics, published)"]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("points: 25}]}", "points: 24}]}"), "Part B: the best options add up to 24"),
        (("{text: cao, points: 40, star: 3}", "{text: cao, points: 39, star: 3}"), "Section 1 “Một”"),
        (
            ("{text: thấp, points: 0}\n", "{text: thấp}\n"),
            "line 21: Criterion 1.1: option 1.1-1 has no valid points",
        ),
        (("{text: cao, points: 40, star: 3}", "{text: cao, points: 40, star: 2}"), "star marker other than"),
    ],
)
def test_a_file_breaking_the_law_s_structure_is_refused_with_line_and_reason(
    db, tmp_path, settings, change, reason
):
    from django.utils import translation

    text = GOOD.replace(*change)
    path = _write(tmp_path, text)
    with translation.override("en"), pytest.raises(CriteriaDataError) as caught:
        load_criteria_sets([path])
    assert "TEST-BAD (line 11, product sets [1])" in str(caught.value)
    assert reason in str(caught.value)
    assert not CriteriaSet.objects.filter(code="TEST-BAD").exists()  # nothing half-published


@pytest.mark.unit
def test_a_star_marker_on_no_option_is_refused():
    from ocop.criteria.validation import validate_tree

    tree = parse(read_file(str(DATA_DIR / "QD26-2026.yaml")))[1][1]
    tree["parts"][0]["sections"][0]["criteria"][2]["mandatory_for"] = {"5": "2.5"}
    from django.utils import translation

    with translation.override("en"):
        problems = validate_tree(tree, {"A": 40, "B": 25, "C": 35})
    assert problems == ["Criterion 1.3: the star marker for 5★ (2.5 points) is on no option."]


# --- practice mode ---------------------------------------------------------------------------------------


@pytest.mark.integration
def test_practice_offers_the_set_in_force_and_shows_nested_sections(db):
    response = Client().get("/practice/?product_set=11")
    body = response.content.decode()
    assert (response.status_code, response.context["criteria_set"].code) == (200, "QD26-2026")
    assert 'name="c:6.1.1"' in body and 'name="c:6.2.3"' in body  # nested sections of set 11
    assert "tối thiểu để đạt 4★" in body
    assert 'name="women_led"' not in body  # 3.2 is a criterion of part A, not a bonus
    assert "QD1048-2019 (lịch sử, đã hết hiệu lực)" in body


@pytest.mark.integration
def test_practice_labels_an_old_set_as_history(db):
    body = Client().get("/practice/?set=QD1048-2019&product_set=1").content.decode()
    assert "Lịch sử: bộ tiêu chí này đã hết hiệu lực (ngày cuối 23/02/2023)" in body


@pytest.mark.integration
def test_a_rubric_names_its_product_set_under_its_own_decision(db):
    from ocop.criteria.models import Rubric

    r8 = Rubric.objects.get(criteria_set__code="QD26-2026", product_set=8)
    assert r8.set_name == (
        "Chế biến từ thịt, thủy sản, trứng, sữa, các sản phẩm từ mật ong, mật khác và nông sản thực phẩm khác"
    )
    assert Rubric.objects.get(criteria_set__code="QD148-2023", product_set=8).set_label == (
        "8. Chế biến từ thịt, thủy sản, trứng, sữa, mật ong"
    )
    old = Rubric.objects.get(criteria_set__code="QD1048-2019", product_set=1)
    assert (old.set_name, old.set_label) == ("", "1")  # QĐ 1048's own list is not in our sources


@pytest.mark.integration
def test_editor_refuses_a_broken_tree_naming_the_line_and_saves_a_good_one_clean(
    client_for, vinh_long_officer
):
    import json

    from ocop.criteria.models import Rubric

    source = Rubric.objects.get(criteria_set__code="QD26-2026", product_set=1).tree
    draft = Rubric.objects.get(criteria_set__code="QD148-2023", product_set=1)
    url = "/office/evaluation/criteria/QD148-2023/1/"
    client = client_for(vinh_long_officer)
    broken = json.loads(json.dumps(source))
    broken["parts"][0]["sections"][0]["criteria"][0]["options"][0].pop("points")
    text = json.dumps(broken, ensure_ascii=False, indent=2)
    token = token_of(draft)
    response = client.post(url, {"tree": text, LOCK_FIELD: token}, follow=True)
    message = next(str(m) for m in response.context["messages"])
    import re

    line = int(re.search(r"dòng (\d+): Tiêu chí 1.1: mức 1.1-1 không có số điểm hợp lệ\.", message).group(1))
    assert text.splitlines()[line].strip() == '"id": "1.1-1",'  # the line after the option's "{"
    assert Rubric.objects.get(pk=draft.pk).tree == draft.tree
    response = client.post(
        url, {"tree": json.dumps(source, ensure_ascii=False, indent=2), LOCK_FIELD: token}, follow=True
    )
    saved = Rubric.objects.get(pk=draft.pk).tree
    assert saved == source and "__line__" not in json.dumps(saved)
