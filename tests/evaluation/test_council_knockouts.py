"""Knock-outs marked by council members on their scoresheets (QĐ 26/2026 Annex II: "Hồ sơ bị loại khi…",
"Bị loại nếu…", "Không đánh giá…"): more than half of the submitted sheets remove the dossier from the
scoring, with its reasons shown to the producer and printed in the minutes; a minority does not. Also
Art. 3 at the council: criterion 3.2 counted once, star markers judged on the average per criterion."""

import re
from decimal import Decimal

import pytest

from ocop.core.errors import DomainError
from ocop.core.models import ActivityLog
from ocop.criteria.scoring import compute, council_knockouts, criteria_by_part
from ocop.evaluation import domain
from ocop.evaluation import pdf as evaluation_pdf
from ocop.evaluation.models import Notification, Scoresheet

from .conftest import answers, answers_totalling

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LINE_1 = "disqualifier:1"


def _knockout_criterion(tree, kind=None):
    return next(
        c["id"]
        for _, c in criteria_by_part(tree)
        if c.get("knockouts") and (kind is None or c["knockouts"][0]["kind"] == kind)
    )


def _first_criteria(tree, n=3):
    """A partial sheet: only the first criteria answered (the sheet says not to evaluate further)."""
    return {c["id"]: c["options"][-1]["id"] for _, c in criteria_by_part(tree)[:n]}


@pytest.mark.unit
def test_council_judgement_is_more_than_half_of_the_submitted_sheets():
    x = {"criterion": None, "reason": "x"}
    y = {"criterion": "2.1", "reason": "y"}
    assert council_knockouts([[x], [x, y], []]) == (
        True,
        [{"criterion": None, "reason": "x", "members": 2}, {"criterion": "2.1", "reason": "y", "members": 1}],
        2,
    )
    assert council_knockouts([[x], [y], []])[0] is True  # two members, different reasons: still two votes
    assert council_knockouts([[x], []])[0] is False  # a tie is not a majority
    assert council_knockouts([[x], [], []])[0] is False
    assert council_knockouts([[x, x]]) == (True, [{"criterion": None, "reason": "x", "members": 1}], 1)
    assert council_knockouts([]) == (False, [], 0)


def test_majority_of_members_knocks_the_dossier_out_with_its_reasons(
    monkeypatch, in_scoring, members, province_officer, producer, django_capture_on_commit_callbacks
):
    tree = in_scoring.rubric.tree
    cid = _knockout_criterion(tree)
    first, second, third = members
    # a member who marks a knock-out may leave the criteria after it unanswered
    sheet = domain.save_scoresheet(
        in_scoring, actor=first, answers=_first_criteria(tree), knockouts=[LINE_1], submit=True
    )
    assert sheet.status == "submitted"
    assert sheet.knockouts == [{"key": LINE_1, "criterion": "", "reason": tree["disqualifiers"][0]}]
    domain.save_scoresheet(
        in_scoring,
        actor=second,
        answers=answers(tree),
        knockouts=[cid, {"criterion": None, "reason": "Nhãn ghi sai cơ sở sản xuất"}],
        submit=True,
    )
    domain.save_scoresheet(in_scoring, actor=third, answers=answers(tree), submit=True)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    note = "; ".join(k["text"] for _, c in criteria_by_part(tree) if c["id"] == cid for k in c["knockouts"])
    assert (in_scoring.state, in_scoring.outcome, in_scoring.potential_5_star) == (
        "disqualified",
        "knocked_out",
        False,
    )
    assert in_scoring.knockouts == [
        {"criterion": "", "reason": tree["disqualifiers"][0], "members": 1},
        {"criterion": cid, "reason": note, "members": 1},
        {"criterion": "", "reason": "Nhãn ghi sai cơ sở sản xuất", "members": 1},
    ]
    log = ActivityLog.objects.get(action="evaluation.dossier.disqualified")
    assert (log.data["knockouts"], log.data["knockout_sheets"]) == (in_scoring.knockouts, 2)
    assert list(Notification.objects.filter(user=producer).values_list("verb", flat=True)) == ["disqualified"]
    # the minutes print the reasons, how many sheets marked each, and each member's marks
    seen = {}

    def fake(template, context):
        from django.template.loader import render_to_string

        seen["html"] = render_to_string(template, context)
        return b"%PDF-"

    monkeypatch.setattr(evaluation_pdf, "render_pdf", fake)
    evaluation_pdf.minutes_pdf(in_scoring.round)
    html = seen["html"]
    assert "Hồ sơ bị loại" in html and "Hồ sơ không được xếp hạng" in html
    assert tree["disqualifiers"][0][:40] in html
    assert "(1/3 phiếu chấm)" in html
    assert f"{first} đánh dấu tiêu chí loại" in html
    assert "Phân hạng:" not in html


def test_producer_sees_the_council_s_reasons_on_the_dossier_page(
    client_for, in_scoring, members, province_officer, producer
):
    tree = in_scoring.rubric.tree
    for member in members[:2]:
        domain.save_scoresheet(
            in_scoring, actor=member, answers=_first_criteria(tree), knockouts=[LINE_1], submit=True
        )
    domain.save_scoresheet(in_scoring, actor=members[2], answers=answers(tree), submit=True)
    domain.close_scoring(in_scoring, actor=province_officer)
    body = client_for(producer).get(f"/office/evaluation/dossiers/{in_scoring.pk}/").content.decode()
    assert 'id="knockouts"' in body
    assert tree["disqualifiers"][0][:40] in body


def test_a_minority_knockout_leaves_the_dossier_in_the_scoring(in_scoring, members, province_officer):
    tree = in_scoring.rubric.tree
    domain.save_scoresheet(
        in_scoring, actor=members[0], answers=answers_totalling(tree, 80), knockouts=[LINE_1], submit=True
    )
    for member in members[1:]:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers_totalling(tree, 80), submit=True)
    domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.knockouts, in_scoring.result_total, in_scoring.result_star) == (
        "scored",
        [],
        Decimal("80.00"),
        4,
    )
    log = ActivityLog.objects.get(action="evaluation.dossier.scored")
    assert log.data["knockout_sheets"] == 1


def test_a_tie_after_a_recusal_is_not_a_majority(in_scoring, members, province_officer):
    tree = in_scoring.rubric.tree
    domain.declare_conflict(in_scoring, actor=members[2], reason="Người thân của chủ thể")
    domain.save_scoresheet(
        in_scoring, actor=members[0], answers=answers(tree), knockouts=[LINE_1], submit=True
    )
    domain.save_scoresheet(in_scoring, actor=members[1], answers=answers(tree), submit=True)
    domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.knockouts) == ("scored", [])


def test_minority_knockout_with_unanswered_criteria_blocks_closing_until_corrected(
    in_scoring, members, province_officer
):
    tree = in_scoring.rubric.tree
    first = members[0]
    domain.save_scoresheet(
        in_scoring, actor=first, answers=_first_criteria(tree), knockouts=[LINE_1], submit=True
    )
    for member in members[1:]:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers(tree), submit=True)
    with pytest.raises(DomainError) as exc:
        domain.close_scoring(in_scoring, actor=province_officer)
    assert (exc.value.code, exc.value.status) == ("knockout_not_upheld", 409)
    assert "1/3" in exc.value.message or "1 of 3" in exc.value.message
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.result_total, in_scoring.knockouts) == ("scoring", None, [])
    # the correction carries the knock-out; the member completes the sheet and withdraws it
    draft = domain.correct_scoresheet(
        domain.current_sheet(in_scoring, first), actor=first, reason="Hội đồng không loại hồ sơ"
    )
    assert draft.knockouts[0]["key"] == LINE_1
    domain.save_scoresheet(
        in_scoring,
        actor=first,
        answers=answers(tree),
        knockouts=[],
        lock_version=draft.lock_version,
        submit=True,
    )
    domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.result_total) == ("scored", Decimal("100.00"))


@pytest.mark.parametrize(
    ("knockouts", "code"),
    [
        (["Z9"], "unknown_criterion"),
        (["1.2"], "bad_knockouts"),  # 1.2 has no knock-out note
        (["disqualifier:9"], "bad_knockouts"),
    ],
)
def test_a_knockout_not_on_the_sheet_is_refused(in_scoring, members, knockouts, code):
    with pytest.raises(DomainError) as exc:
        domain.save_scoresheet(
            in_scoring, actor=members[0], answers=_first_criteria(in_scoring.rubric.tree), knockouts=knockouts
        )
    assert (exc.value.code, exc.value.status) == (code, 422)
    assert Scoresheet.objects.filter(dossier=in_scoring).count() == 0


def test_without_a_knockout_every_criterion_must_be_answered(in_scoring, members):
    with pytest.raises(DomainError) as exc:
        domain.save_scoresheet(
            in_scoring, actor=members[0], answers=_first_criteria(in_scoring.rubric.tree), submit=True
        )
    assert exc.value.code == "missing_criterion"


# --- the scoresheet page ------------------------------------------------------------------------------


def test_member_marks_a_knockout_on_the_scoresheet_page(client_for, in_scoring, members):
    tree = in_scoring.rubric.tree
    client = client_for(members[0])
    url = f"/office/evaluation/dossiers/{in_scoring.pk}/score/"
    page = client.get(url).content.decode()
    assert 'id="sheet-knockouts"' in page and f'value="{LINE_1}"' in page
    data = {f"c:{k}": v for k, v in _first_criteria(tree).items()}
    data.update(ko=[LINE_1], ko_reason="Giấy chứng nhận ATTP giả", action="submit", confirm="yes")
    response = client.post(url, data)
    assert response.status_code == 302
    sheet = domain.current_sheet(in_scoring, members[0])
    assert (sheet.status, [k["key"] for k in sheet.knockouts]) == ("submitted", [LINE_1, ""])
    assert sheet.knockouts[1]["reason"] == "Giấy chứng nhận ATTP giả"
    page = client.get(url).content.decode()
    assert f'value="{LINE_1}" id="ko-1" checked disabled' in page
    assert 'value="Giấy chứng nhận ATTP giả" disabled' in page


def test_a_bad_knockout_on_the_page_is_refused_in_vietnamese_with_choices_kept(
    client_for, in_scoring, members
):
    tree = in_scoring.rubric.tree
    client = client_for(members[0])
    url = f"/office/evaluation/dossiers/{in_scoring.pk}/score/"
    first = next(iter(_first_criteria(tree).items()))
    response = client.post(url, {f"c:{first[0]}": first[1], "ko": ["Z9"], "action": "save"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Không có tiêu chí Z9." in body
    assert re.search(rf'<option value="{re.escape(first[1])}"[^>]*selected>', body)
    assert Scoresheet.objects.filter(dossier=in_scoring).count() == 0


def test_the_scoresheet_page_is_the_council_s(client_for, in_scoring, producer, commune_officer):
    url = f"/office/evaluation/dossiers/{in_scoring.pk}/score/"
    assert client_for(producer).post(url, {"ko": [LINE_1], "action": "save"}).status_code == 403
    assert Scoresheet.objects.count() == 0


# --- Art. 3 at the council ---------------------------------------------------------------------------


def test_criterion_3_2_counts_once_at_the_council(in_scoring, members, province_officer):
    producer = in_scoring.producer
    producer.women_led = producer.ethnic_minority_led = True
    producer.save(update_fields=["women_led", "ethnic_minority_led"])
    tree = in_scoring.rubric.tree
    sheet = answers_totalling(tree, 80)
    c32 = next(c for _, c in criteria_by_part(tree) if c["id"] == "3.2")
    sheet["3.2"] = max(c32["options"], key=lambda o: o["points"])["id"]  # 3.2 answered "yes"
    expected = compute(tree, sheet).total
    assert expected < 99  # room for a bonus to show if it were added
    for member in members:
        domain.save_scoresheet(in_scoring, actor=member, answers=sheet, submit=True)
    domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    assert in_scoring.result_total == expected  # criterion 3.2 once, no bonus on top


def test_star_markers_are_judged_on_the_council_s_average_per_criterion(
    in_scoring, members, province_officer
):
    tree = in_scoring.rubric.tree
    high = answers(tree)
    low = dict(high)
    starred = next(
        (c, o)
        for _, c in criteria_by_part(tree)
        for o in c["options"]
        if o.get("star") == 5 and o["points"] == max(x["points"] for x in c["options"])
    )
    criterion, marked = starred
    below = max(
        (o for o in criterion["options"] if o["points"] < marked["points"]), key=lambda o: o["points"]
    )
    low[criterion["id"]] = below["id"]
    domain.save_scoresheet(in_scoring, actor=members[0], answers=high, submit=True)
    domain.save_scoresheet(in_scoring, actor=members[1], answers=high, submit=True)
    domain.save_scoresheet(in_scoring, actor=members[2], answers=low, submit=True)
    domain.close_scoring(in_scoring, actor=province_officer)
    in_scoring.refresh_from_db()
    # two members reach the ***** option, one does not: the average misses it, the star is capped at 4
    assert in_scoring.result_total >= 90
    assert (in_scoring.result_star, in_scoring.potential_5_star) == (4, False)
    assert [u["criterion"] for u in in_scoring.unmet_mandatory] == [criterion["id"]]


def test_closing_refused_on_the_page_shows_the_reason_in_vietnamese(
    client_for, in_scoring, members, province_officer
):
    tree = in_scoring.rubric.tree
    domain.save_scoresheet(
        in_scoring, actor=members[0], answers=_first_criteria(tree), knockouts=[LINE_1], submit=True
    )
    for member in members[1:]:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers(tree), submit=True)
    client = client_for(province_officer)
    response = client.post(
        f"/office/evaluation/dossiers/{in_scoring.pk}/close-scoring/", {"confirm": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "1/3 phiếu chấm đánh dấu tiêu chí loại, không quá nửa" in response.content.decode()
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.result_total) == ("scoring", None)
