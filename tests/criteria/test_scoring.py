"""The pure star computation: bands, caps, bonus, input faults, and properties (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.criteria.loader import DATA_DIR, build_tree, parse, read_file
from ocop.criteria.scoring import ScoreInputError, aggregate, band, compute, criteria_by_part, spread

pytestmark = pytest.mark.unit

TREE_1048 = parse(read_file(str(DATA_DIR / "QD1048-2019.yaml")))[1][1]
# A legacy-style rubric with bonus rules (QĐ 1048/148 files may carry them; QĐ 26/2026 has none).
TREE_DEMO = build_tree(
    [{"code": "A", "max_points": 40}, {"code": "B", "max_points": 25}, {"code": "C", "max_points": 35}],
    {
        "bonus": {"women_led": 1, "ethnic_minority_led": 1},
        "parts": {
            code: [{"title": code, "criteria": [{"id": f"{code}1", "text": code, "points": [0, maximum]}]}]
            for code, maximum in (("A", 40), ("B", 25), ("C", 35))
        },
    },
)


def choose(tree, pick):
    """answers choosing option index pick(criterion) for every criterion."""
    return {c["id"]: c["options"][pick(c)]["id"] for _, c in criteria_by_part(tree)}


def best(tree):
    return choose(tree, lambda c: max(range(len(c["options"])), key=lambda i: c["options"][i]["points"]))


def worst(tree):
    return choose(tree, lambda c: min(range(len(c["options"])), key=lambda i: c["options"][i]["points"]))


def test_band_half_open():
    assert [
        band(x)
        for x in (
            0,
            Decimal("29.99"),
            30,
            Decimal("49.99"),
            50,
            Decimal("69.99"),
            70,
            Decimal("89.99"),
            90,
            100,
        )
    ] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_compute_best_answers_is_100_potential_five_star():
    result = compute(TREE_1048, best(TREE_1048))
    assert result.as_json() == {
        "total": 100.0,
        "parts": {"A": 35.0, "B": 25.0, "C": 40.0},
        "star": 5,
        "potential_5_star": True,
        "unmet_mandatory": [],
        "knockouts": [],
    }


def test_compute_worst_answers_lists_unmet_mandatory():
    result = compute(TREE_1048, worst(TREE_1048))
    assert (result.star, result.unmet_mandatory) == (
        1,
        [{"criterion": "C2.1", "star": 3, "required": 1.0, "points": 0.0}],
    )


def test_compute_failed_mandatory_caps_star():
    answers = best(TREE_1048)
    answers["C2.1"] = "C2.1-1"  # 0 points on the published-standard criterion
    result = compute(TREE_1048, answers)
    assert (result.total, result.band_star, result.star, result.potential_5_star) == (
        Decimal("98.00"),
        5,
        2,
        False,
    )


def test_compute_bonus_never_passes_100():
    result = compute(TREE_DEMO, best(TREE_DEMO), {"women_led": True, "ethnic_minority_led": True})
    assert (result.total, result.star) == (Decimal("100.00"), 5)


def test_compute_bonus_adds_points_below_100():
    answers = worst(TREE_DEMO)
    assert compute(TREE_DEMO, answers, {"women_led": True}).total == Decimal("1.00")


@pytest.mark.parametrize(
    ("change", "code", "criterion"),
    [
        (lambda a: a.update({"Z9": "Z9-1"}), "unknown_criterion", "Z9"),
        (lambda a: a.update({"A1.1": "A1.2-1"}), "option_of_other_criterion", "A1.1"),
        (lambda a: a.update({"A1.1": "nope"}), "unknown_option", "A1.1"),
        (lambda a: a.pop("B2.3"), "missing_criterion", "B2.3"),
        (lambda a: a.update({"A1.1": ["A1.1-1", "A1.1-2"]}), "several_options", "A1.1"),
    ],
)
def test_compute_bad_answers_name_the_fault(change, code, criterion):
    answers = best(TREE_1048)
    change(answers)
    with pytest.raises(ScoreInputError) as caught:
        compute(TREE_1048, answers)
    assert (caught.value.code, caught.value.criterion) == (code, criterion)


def test_aggregate_averages_members_and_flags_spread():
    high, low = best(TREE_DEMO), worst(TREE_DEMO)
    result = aggregate(TREE_DEMO, [high, low])
    assert (result.total, result.star) == (Decimal("50.00"), 3)
    assert spread(TREE_DEMO, [high, low], 2)[0] == {"criterion": "A1", "min": 0.0, "max": 40.0}
    assert spread(TREE_DEMO, [high, high], 2) == []


answer_strategy = st.fixed_dictionaries(
    {c["id"]: st.sampled_from([o["id"] for o in c["options"]]) for _, c in criteria_by_part(TREE_1048)}
)
flags = st.fixed_dictionaries({"women_led": st.booleans(), "ethnic_minority_led": st.booleans()})


@settings(max_examples=200, deadline=None)
@given(answers=answer_strategy, bonus=flags)
def test_property_total_within_bounds_and_star_is_band_or_capped(answers, bonus):
    for tree in (TREE_1048,):
        result = compute(tree, answers, bonus)
        assert Decimal(0) <= result.total <= Decimal(100)
        assert result.star <= band(result.total) and result.star >= 1
        caps = [u["star"] for u in result.unmet_mandatory if u["star"] <= result.band_star]
        assert result.star == (min(caps) - 1 if caps else result.band_star)


@settings(max_examples=200, deadline=None)
@given(answers=answer_strategy, data=st.data())
def test_property_monotone_in_any_option(answers, data):
    index = {c["id"]: c for _, c in criteria_by_part(TREE_1048)}
    cid = data.draw(st.sampled_from(sorted(index)))
    points = {o["id"]: o["points"] for o in index[cid]["options"]}
    better = data.draw(st.sampled_from([o for o, p in points.items() if p >= points[answers[cid]]]))
    before = compute(TREE_1048, answers)
    after = compute(TREE_1048, {**answers, cid: better})
    assert after.total >= before.total
    assert after.star >= before.star


@settings(max_examples=100, deadline=None)
@given(sheets=st.lists(answer_strategy, min_size=1, max_size=9))
def test_property_council_average_within_members(sheets):
    totals = [compute(TREE_1048, s).total for s in sheets]
    result = aggregate(TREE_1048, sheets)
    assert min(totals) - Decimal("0.01") <= result.total <= max(totals) + Decimal("0.01")
