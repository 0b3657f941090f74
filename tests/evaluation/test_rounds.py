"""Round administration from the office (ocop/evaluation/rounds.py and its pages), the scoresheet that
keeps its choices after a refusal, and the confirmations asked by irreversible actions."""

import datetime

import pytest

from ocop.accounts.enums import Role
from ocop.core.dates import today
from ocop.core.locking import token_of
from ocop.core.models import ActivityLog
from ocop.criteria.models import CriteriaSet
from ocop.evaluation import domain
from ocop.evaluation.enums import Body, DossierState, RoundStatus, SheetStatus
from ocop.evaluation.models import Dossier, Membership, Round, Scoresheet
from tests.factories import UserFactory, with_role

from .conftest import answers, forward

pytestmark = pytest.mark.integration


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _edit_values(round_, **overrides):

    values = {
        "lock_token": token_of(Round.objects.get(pk=round_.pk)),
        "name": round_.name,
        "submission_deadline": round_.submission_deadline.strftime("%d/%m/%Y"),
        "review_deadline": round_.review_deadline.strftime("%d/%m/%Y"),
        "council_date": round_.council_date.strftime("%d/%m/%Y"),
        "quorum": "",
        "criteria_set": round_.criteria_set.code,
    }
    return {**values, **overrides}


@pytest.fixture
def other_set(db):
    return CriteriaSet.objects.get(code="QD1048-2019")  # shipped published


@pytest.fixture
def appraised(draft, producer, commune_officer, vinh_long_officer, members):
    from .conftest import complete_dossier

    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    forward(draft, commune_officer)
    domain.record_samples(draft, actor=vinh_long_officer, count=5, received_on=today())
    return domain.appraise_dossier(draft, actor=vinh_long_officer, note="Đủ", comments={})


# Editing and closing -------------------------------------------------------------------------------


def test_edit_round_dates_quorum_and_set_before_first_dossier(
    client_for, vinh_long_officer, round_, other_set
):
    new_date = round_.council_date + datetime.timedelta(days=5)
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/edit/",
        _edit_values(
            round_,
            council_date=new_date.strftime("%d/%m/%Y"),
            quorum="3",
            criteria_set=other_set.code,
            reason="Hội đồng họp muộn",
        ),
    )
    before = round_.council_date
    round_.refresh_from_db()
    assert (response.status_code, round_.council_date, round_.quorum, round_.criteria_set) == (
        302,
        new_date,
        3,
        other_set,
    )
    entry = ActivityLog.objects.get(action="evaluation.round.updated")
    assert sorted(entry.data["changed"]) == ["criteria_set", "quorum"]
    moved = ActivityLog.objects.get(action="evaluation.round.rescheduled")
    assert (moved.data["from"][2], moved.data["to"][2], moved.data["reason"], round_.schedule_note) == (
        before.isoformat(),
        new_date.isoformat(),
        "Hội đồng họp muộn",
        "Hội đồng họp muộn",
    )


def test_edit_round_dates_without_a_reason_is_refused_and_nothing_written(
    client_for, vinh_long_officer, round_
):
    new_date = round_.council_date + datetime.timedelta(days=5)
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/edit/",
        _edit_values(round_, council_date=new_date.strftime("%d/%m/%Y"), name="Đợt mới", reason="  "),
    )
    assert (response.status_code, _messages(response)) == (
        422,
        [
            "Nêu lý do đổi ngày (nền tảng đề xuất các ngày theo Điều 5 khoản 1 QĐ 26/2026; mỗi lần đổi "
            "được ghi lại cùng lý do)."
        ],
    )
    assert 'value="Đợt mới"' in response.content.decode()  # what was typed is kept
    unchanged = Round.objects.get(pk=round_.pk)
    assert (unchanged.council_date, unchanged.name) == (round_.council_date, round_.name)
    assert ActivityLog.objects.filter(action__startswith="evaluation.round.r").count() == 0


def test_edit_round_posted_without_its_lock_token_is_refused_409(client_for, vinh_long_officer, round_):
    values = _edit_values(round_, name="Không có mã khóa")
    del values["lock_token"]
    response = client_for(vinh_long_officer).post(f"/office/evaluation/rounds/{round_.pk}/edit/", values)
    assert (response.status_code, Round.objects.get(pk=round_.pk).name) == (409, round_.name)


def test_round_page_shows_the_legal_dates_and_the_history_of_changes(client_for, vinh_long_officer, round_):
    from ocop.evaluation.procedure import legal_calendar

    new_date = round_.council_date + datetime.timedelta(days=2)
    client = client_for(vinh_long_officer)
    client.post(
        f"/office/evaluation/rounds/{round_.pk}/edit/",
        _edit_values(round_, council_date=new_date.strftime("%d/%m/%Y"), reason="Chủ tịch đi công tác"),
    )
    response = client.get(f"/office/evaluation/rounds/{round_.pk}/")
    history = response.context["schedule_history"]
    assert [(h["created"], h["after"][2:], h["reason"]) for h in history if not h["created"]] == [
        (False, [new_date], "Chủ tịch đi công tác")
    ]
    legal = response.context["legal"]
    number = 1 if new_date <= datetime.date(new_date.year, 6, 29) else 2
    assert (legal["number"], legal["dates"]) == (number, legal_calendar(new_date.year, number))
    html = response.content.decode()
    assert 'id="schedule-history"' in html and "Chủ tịch đi công tác" in html and 'id="change-dates"' in html


def test_edit_criteria_set_refused_after_first_dossier(
    client_for, vinh_long_officer, round_, draft, other_set
):
    before = round_.criteria_set_id
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/edit/", _edit_values(round_, criteria_set=other_set.code)
    )
    assert (response.status_code, _messages(response)) == (
        200,
        ["Chỉ đổi được bộ tiêu chí trước khi có hồ sơ đầu tiên."],
    )
    assert (
        Round.objects.get(pk=round_.pk).criteria_set_id,
        ActivityLog.objects.filter(action="evaluation.round.updated").count(),
    ) == (before, 0)


def test_edit_bad_dates_message_and_nothing_written(client_for, vinh_long_officer, round_):
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/edit/", _edit_values(round_, review_deadline="31/02/2026")
    )
    assert _messages(response) == ["Nhập ngày theo dạng dd/mm/yyyy."]
    assert Round.objects.get(pk=round_.pk).review_deadline == round_.review_deadline


def test_edit_round_by_council_member_403_other_province_404(
    client_for, council_member, other_province_officer, round_, members
):
    url = f"/office/evaluation/rounds/{round_.pk}/edit/"
    assert [
        client_for(council_member).get(url).status_code,
        client_for(other_province_officer).get(url).status_code,
    ] == [403, 404]


def test_close_round_needs_confirmation(client_for, vinh_long_officer, round_):
    client = client_for(vinh_long_officer)
    refused = client.post(f"/office/evaluation/rounds/{round_.pk}/close/", follow=True)
    assert (_messages(refused), Round.objects.get(pk=round_.pk).status) == (
        ["Đánh dấu ô để xác nhận: thao tác này không thể hoàn tác."],
        RoundStatus.OPEN,
    )
    client.post(f"/office/evaluation/rounds/{round_.pk}/close/", {"confirm": "yes"})
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    assert ActivityLog.objects.get(action="evaluation.round.status").data == {"from": "open", "to": "closed"}


# Council and advisory group ---------------------------------------------------------------------------


def test_member_search_lists_province_accounts_only(client_for, vinh_long_officer, round_, tien_giang):
    mine = with_role(
        UserFactory(username="hd.moi", full_name="Trần Hội Đồng"), Role.COUNCIL_MEMBER, unit=round_.province
    )
    with_role(
        UserFactory(username="hd.tg", full_name="Trần Tiền Giang"), Role.COUNCIL_MEMBER, unit=tien_giang
    )
    response = client_for(vinh_long_officer).get(
        f"/office/evaluation/rounds/{round_.pk}/member-search/?q=tran hoi", headers={"HX-Request": "true"}
    )
    assert (response.status_code, response.context["candidates"]) == (200, [mine])


def test_add_member_from_list_with_reason(client_for, vinh_long_officer, round_):
    person = with_role(UserFactory(username="hd.moi"), Role.COUNCIL_MEMBER, unit=round_.province)
    client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/members/",
        {"user": str(person.pk), "body": Body.COUNCIL, "position": "member", "reason": "QĐ 12/QĐ-UBND"},
    )
    assert list(round_.memberships.values_list("user", "body")) == [(person.pk, Body.COUNCIL)]
    entry = ActivityLog.objects.get(action="evaluation.round.member_added")
    assert (entry.data["user"], entry.data["reason"]) == ("hd.moi", "QĐ 12/QĐ-UBND")


def test_add_member_without_reason_or_outside_province_refused(
    client_for, vinh_long_officer, round_, tien_giang
):
    inside = with_role(UserFactory(username="hd.moi"), Role.COUNCIL_MEMBER, unit=round_.province)
    outside = with_role(UserFactory(username="hd.tg"), Role.COUNCIL_MEMBER, unit=tien_giang)
    client = client_for(vinh_long_officer)
    url = f"/office/evaluation/rounds/{round_.pk}/members/"
    no_reason = client.post(
        url, {"user": str(inside.pk), "body": "council", "position": "member"}, follow=True
    )
    elsewhere = client.post(
        url, {"user": str(outside.pk), "body": "council", "position": "member", "reason": "x"}, follow=True
    )
    assert [_messages(no_reason), _messages(elsewhere)] == [
        ["Nêu lý do (ví dụ quyết định thành lập hội đồng)."],
        ["Chọn một người trong danh sách tài khoản của tỉnh."],
    ]
    assert round_.memberships.count() == 0


def test_remove_member_with_reason(client_for, vinh_long_officer, round_, members):
    membership = Membership.objects.get(round=round_, user=members[0])
    client = client_for(vinh_long_officer)
    url = f"/office/evaluation/rounds/{round_.pk}/members/{membership.pk}/remove/"
    client.post(url, {"reason": ""})
    assert round_.memberships.count() == 3
    client.post(url, {"reason": "Chuyển công tác"})
    assert round_.memberships.count() == 2
    entry = ActivityLog.objects.get(action="evaluation.round.member_removed")
    assert (entry.data["user"], entry.data["reason"]) == (members[0].username, "Chuyển công tác")


def test_member_pages_refuse_council_member_403(client_for, council_member, round_, members):
    client = client_for(council_member)
    response = client.post(
        f"/office/evaluation/rounds/{round_.pk}/members/",
        {"user": str(council_member.pk), "body": "advisory", "position": "member", "reason": "x"},
    )
    assert (response.status_code, round_.memberships.count()) == (403, 3)


# Opening scoring for many dossiers ---------------------------------------------------------------------


def test_open_scoring_many(
    client_for, vinh_long_officer, round_, appraised, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(vinh_long_officer).post(
            f"/office/evaluation/rounds/{round_.pk}/open-scoring/", {"dossiers": [str(appraised.pk)]}
        )
    assert Dossier.objects.get(pk=appraised.pk).state == DossierState.SCORING
    assert ActivityLog.objects.filter(action="evaluation.dossier.scoring_opened").count() == 1


def test_open_scoring_many_refuses_a_dossier_not_appraised(round_, vinh_long_officer, appraised, draft):
    from ocop.core.errors import DomainError
    from ocop.evaluation.rounds import open_scoring_many

    scoring_before = ActivityLog.objects.filter(action="evaluation.dossier.scoring_opened").count()
    domain.open_scoring(appraised, actor=vinh_long_officer)
    with pytest.raises(DomainError):
        open_scoring_many([appraised], actor=vinh_long_officer)
    assert (
        ActivityLog.objects.filter(action="evaluation.dossier.scoring_opened").count() == scoring_before + 1
    )


# Scoresheet -----------------------------------------------------------------------------------------


def test_refused_submit_keeps_every_choice(client_for, council_member, in_scoring):
    tree = in_scoring.rubric.tree
    chosen = answers(tree)
    first, *rest = list(chosen.items())
    partial = dict(rest)  # one criterion left out: the submit is refused
    data = {f"c:{cid}": oid for cid, oid in partial.items()}
    response = client_for(council_member).post(
        f"/office/evaluation/dossiers/{in_scoring.pk}/score/",
        {**data, "notes": "Ghi chú", "action": "submit", "confirm": "yes"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert _messages(response) == [
        f"Hãy chấm mọi tiêu chí trước khi nộp: tiêu chí {first[0]} chưa được chấm."
    ]
    kept = [
        oid
        for cid, oid in partial.items()
        if f'value="{oid}" data-points' in html and "selected" in html.split(f'value="{oid}"')[1][:40]
    ]
    assert (len(kept), "Ghi chú</textarea>" in html) == (len(partial), True)
    assert Scoresheet.objects.filter(dossier=in_scoring).count() == 0


def test_submit_without_confirmation_refused_and_kept(client_for, council_member, in_scoring):
    data = {f"c:{cid}": oid for cid, oid in answers(in_scoring.rubric.tree).items()}
    response = client_for(council_member).post(
        f"/office/evaluation/dossiers/{in_scoring.pk}/score/", {**data, "action": "submit"}
    )
    assert (response.status_code, _messages(response)) == (
        400,
        ["Đánh dấu ô để xác nhận phiếu chấm sẽ bị khóa."],
    )
    assert Scoresheet.objects.filter(dossier=in_scoring).count() == 0


def test_submitted_member_no_longer_sees_the_dossier_waiting(client_for, council_member, in_scoring):
    client = client_for(council_member)
    before = client.get("/office/").context["panels"]
    domain.save_scoresheet(
        in_scoring, actor=council_member, answers=answers(in_scoring.rubric.tree), submit=True
    )
    after = client.get("/office/").context["panels"]
    assert ("hồ sơ đang chờ bạn chấm điểm" in before[0], "chờ bạn chấm" in after[0]) == (True, False)
    assert Scoresheet.objects.get(dossier=in_scoring).status == SheetStatus.SUBMITTED


def test_close_scoring_and_record_decision_need_confirmation(
    client_for, vinh_long_officer, in_scoring, members
):
    for member in members:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers(in_scoring.rubric.tree), submit=True)
    client = client_for(vinh_long_officer)
    refused = client.post(f"/office/evaluation/dossiers/{in_scoring.pk}/close-scoring/", follow=True)
    assert (_messages(refused), Dossier.objects.get(pk=in_scoring.pk).state) == (
        ["Đánh dấu ô để xác nhận: thao tác này không thể hoàn tác."],
        DossierState.SCORING,
    )
    client.post(f"/office/evaluation/dossiers/{in_scoring.pk}/close-scoring/", {"confirm": "yes"})
    assert Dossier.objects.get(pk=in_scoring.pk).state == DossierState.SCORED


# Producers and rounds ---------------------------------------------------------------------------------


def test_producer_sees_open_round_on_home_and_in_rounds_list(client_for, producer, round_):
    client = client_for(producer)
    home = client.get("/office/")
    listing = client.get("/office/evaluation/rounds/")
    assert (round_.name in home.context["panels"][1], list(listing.context["rounds"])) == (True, [round_])


def test_producer_opens_round_of_its_dossier_and_sees_only_its_own(
    client_for, producer, round_, draft, other_producer
):
    from tests.factories import ProductFactory

    response = client_for(producer).get(f"/office/evaluation/rounds/{round_.pk}/")
    assert (response.status_code, list(response.context["dossiers"]), "memberships" in response.context) == (
        200,
        [draft],
        False,
    )
    ProductFactory(producer=other_producer.producer)
    assert client_for(other_producer).get(f"/office/evaluation/rounds/{round_.pk}/").status_code == 404


def test_producer_cannot_manage_round_403(client_for, producer, round_):
    response = client_for(producer).post(f"/office/evaluation/rounds/{round_.pk}/close/", {"confirm": "yes"})
    assert (response.status_code, Round.objects.get(pk=round_.pk).status) == (403, RoundStatus.OPEN)


def test_round_edit_from_a_stale_form_is_refused_with_409(client_for, vinh_long_officer, round_):
    """#12 item 8: two tabs on one round; the second save must not undo the first."""

    url = f"/office/evaluation/rounds/{round_.pk}/edit/"
    client = client_for(vinh_long_officer)
    token = client.get(url).context["lock_token"]
    assert token == token_of(round_)

    first = client.post(url, _edit_values(round_, name="Đợt 1 (thẻ một)", lock_token=token))
    second = client.post(url, _edit_values(round_, name="Đợt 1 (thẻ hai)", lock_token=token))

    round_.refresh_from_db()
    assert (first.status_code, second.status_code, round_.name) == (302, 409, "Đợt 1 (thẻ một)")
    assert ActivityLog.objects.filter(action="evaluation.round.updated").count() == 1
