"""QĐ 26/2026 Art. 7.3a (the province sends a dossier back for completion), Art. 7.6g (a re-evaluation is
decided within 45 days of the complete dossier) and Mẫu 02 point 7 (Annex III)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.evaluation import domain, procedure
from ocop.evaluation.models import Dossier, Notification
from tests.factories import CertificateFactory

from .conftest import complete_dossier, forward

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _actions(obj):
    return list(
        ActivityLog.objects.filter(object_id=str(obj.pk), action__startswith="evaluation.dossier")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def forwarded(draft, producer, commune_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    return forward(draft, commune_officer)


# --- Art. 7.3a: the province asks for completion ---------------------------------------------------------


def test_province_asks_for_completion_producer_completes_and_it_returns_to_the_province(
    forwarded, vinh_long_officer, producer, commune_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.request_completion(
            forwarded, actor=vinh_long_officer, reasons="Bổ sung phiếu kiểm nghiệm định kỳ"
        )
    dossier = Dossier.objects.get(pk=forwarded.pk)
    assert (dossier.state, dossier.return_reasons) == ("completion", "Bổ sung phiếu kiểm nghiệm định kỳ")
    log = ActivityLog.objects.get(action="evaluation.dossier.completion_requested")
    assert log.data == {"from": "forwarded", "reasons": "Bổ sung phiếu kiểm nghiệm định kỳ"}
    assert sorted(
        Notification.objects.filter(verb="completion_requested").values_list("user", flat=True)
    ) == (sorted([producer.pk, commune_officer.pk]))

    # The producer edits the dossier again, then sends it back: to the province, not to the commune.
    domain.save_registration(
        dossier, actor=producer, values={**dossier.registration, "revenue": "2 tỷ đồng/năm"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        domain.resubmit_to_province(dossier, actor=producer)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.registration["revenue"], dossier.complete_received_on) == (
        "forwarded",
        "2 tỷ đồng/năm",
        today(),
    )
    assert _actions(dossier)[-3:] == [
        "evaluation.dossier.completion_requested",
        "evaluation.dossier.registration_saved",
        "evaluation.dossier.completed",
    ]
    assert sorted(Notification.objects.filter(verb="completed").values_list("user", flat=True)) == sorted(
        [vinh_long_officer.pk, commune_officer.pk]
    )


def test_completion_needs_reasons_and_the_province_nothing_changes(
    forwarded, vinh_long_officer, producer, commune_officer
):
    with pytest.raises(DomainError) as exc:
        domain.request_completion(forwarded, actor=vinh_long_officer, reasons="  ")
    assert (exc.value.code, exc.value.status) == ("reasons_required", 422)
    for actor in (producer, commune_officer):
        with pytest.raises(PermissionDenied):
            domain.request_completion(forwarded, actor=actor, reasons="x")
    assert Dossier.objects.get(pk=forwarded.pk).state == "forwarded"
    assert not ActivityLog.objects.filter(action="evaluation.dossier.completion_requested").exists()


def test_completed_dossier_cannot_be_forwarded_by_the_commune_nor_sent_back_incomplete(
    forwarded, vinh_long_officer, producer, commune_officer
):
    domain.request_completion(forwarded, actor=vinh_long_officer, reasons="Thiếu nhãn")
    with pytest.raises(PermissionDenied):
        forward(Dossier.objects.get(pk=forwarded.pk), commune_officer)
    dossier = Dossier.objects.get(pk=forwarded.pk)
    for evidence in dossier.evidence.filter(kind="photo"):
        domain.remove_evidence(evidence, actor=producer)
    with pytest.raises(DomainError) as exc:
        domain.resubmit_to_province(dossier, actor=producer)
    assert exc.value.code == "incomplete"
    assert Dossier.objects.get(pk=forwarded.pk).state == "completion"


def test_submitted_dossier_cannot_be_sent_for_completion_by_the_province(draft, producer, vinh_long_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    with pytest.raises(InvalidTransition):
        domain.request_completion(draft, actor=vinh_long_officer, reasons="x")


def test_completion_pages_office_action_producer_sees_reasons_and_resubmits(
    client_for, vinh_long_officer, producer, other_province_officer, forwarded
):
    url = f"/office/evaluation/dossiers/{forwarded.pk}/completion/"
    assert client_for(producer).post(url, {"reasons": "x"}).status_code == 403
    assert client_for(other_province_officer).post(url, {"reasons": "x"}).status_code == 404
    empty = client_for(vinh_long_officer).post(url, {"reasons": ""}, follow=True)
    assert [str(m) for m in empty.context["messages"]] == ["Nêu lý do: chủ thể cần hoàn thiện những gì."]
    assert Dossier.objects.get(pk=forwarded.pk).state == "forwarded"

    office_page = client_for(vinh_long_officer).get(f"/office/evaluation/dossiers/{forwarded.pk}/")
    assert 'id="request-completion"' in office_page.content.decode()
    assert client_for(vinh_long_officer).post(url, {"reasons": "Bổ sung giấy ATTP"}).status_code == 302

    page = client_for(producer).get(f"/office/evaluation/dossiers/{forwarded.pk}/")
    html = page.content.decode()
    assert (page.context["can_edit"], "Bổ sung giấy ATTP" in html, 'id="completion-reasons"' in html) == (
        True,
        True,
        True,
    )
    client_for(producer).post(f"/office/evaluation/dossiers/{forwarded.pk}/submit/")
    assert Dossier.objects.get(pk=forwarded.pk).state == "forwarded"


# --- Art. 7.6g: 45 days to decide a re-evaluation ---------------------------------------------------------


@pytest.fixture
def reevaluation(round_, product, producer, commune_officer):
    end = today() + datetime.timedelta(days=150)
    CertificateFactory(product=product, star=3, issued_on=end.replace(year=end.year - 3), expires_on=end)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    return forward(dossier, commune_officer)


def test_reevaluation_clock_runs_45_days_from_the_province_receiving_the_complete_dossier(reevaluation):
    due = today() + datetime.timedelta(days=45)
    assert (reevaluation.complete_received_on, procedure.reevaluation_due_on(reevaluation)) == (today(), due)
    clock = procedure.reevaluation_clock(reevaluation, today() + datetime.timedelta(days=46))
    assert (clock.due_on, clock.left, clock.overdue, clock.done) == (due, -1, True, False)


def test_no_45_day_clock_for_a_new_product_or_an_upgrade(forwarded):
    assert (forwarded.complete_received_on, procedure.reevaluation_clock(forwarded, today())) == (
        today(),
        None,
    )


def test_completion_restarts_the_45_days(reevaluation, vinh_long_officer, producer):
    domain.request_completion(reevaluation, actor=vinh_long_officer, reasons="Bổ sung doanh thu")
    waiting = Dossier.objects.get(pk=reevaluation.pk)
    assert (
        procedure.reevaluation_clock(waiting, today()),
        domain.reevaluations_due_before(waiting.round, today() + datetime.timedelta(days=400)),
    ) == (None, [])
    Dossier.objects.filter(pk=reevaluation.pk).update(
        complete_received_on=today() - datetime.timedelta(days=30)
    )
    domain.resubmit_to_province(Dossier.objects.get(pk=reevaluation.pk), actor=producer)
    dossier = Dossier.objects.get(pk=reevaluation.pk)
    assert procedure.reevaluation_due_on(dossier) == today() + datetime.timedelta(days=45)


def test_council_date_after_the_45_days_of_a_reevaluation_is_refused(reevaluation, vinh_long_officer):
    round_ = reevaluation.round
    later = today() + datetime.timedelta(days=46)
    with pytest.raises(DomainError) as exc:
        domain.reschedule_round(
            round_,
            actor=vinh_long_officer,
            submission_deadline=round_.submission_deadline,
            review_deadline=round_.review_deadline,
            council_date=max(later, round_.council_date + datetime.timedelta(days=1)),
            reason="Hội đồng họp muộn",
        )
    due = (today() + datetime.timedelta(days=45)).strftime("%d/%m/%Y")
    assert (exc.value.code, exc.value.status) == ("reevaluation_deadline", 422)
    assert exc.value.message == (
        f"Hội đồng không thể họp sau ngày {due}: việc đánh giá, phân hạng lại không quá 45 ngày kể từ ngày "
        f"nhận đủ hồ sơ (Điều 7 khoản 6 điểm g QĐ 26/2026); hồ sơ {reevaluation.number}."
    )
    assert not ActivityLog.objects.filter(action="evaluation.round.rescheduled").exists()


def test_round_edit_page_refuses_a_council_date_after_the_45_days(
    client_for, vinh_long_officer, reevaluation
):
    from ocop.core.locking import token_of

    round_ = reevaluation.round
    later = max(today() + datetime.timedelta(days=46), round_.council_date + datetime.timedelta(days=1))
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/rounds/{round_.pk}/edit/",
        {
            "lock_token": token_of(round_),
            "name": round_.name,
            "submission_deadline": round_.submission_deadline.strftime("%d/%m/%Y"),
            "review_deadline": round_.review_deadline.strftime("%d/%m/%Y"),
            "council_date": later.strftime("%d/%m/%Y"),
            "quorum": "",
            "criteria_set": round_.criteria_set.code,
            "reason": "Hội đồng họp muộn",
        },
    )
    assert response.status_code == 422
    round_.refresh_from_db()
    assert round_.council_date != later


def test_dossier_page_shows_the_45_day_clock(client_for, producer, reevaluation):
    response = client_for(producer).get(f"/office/evaluation/dossiers/{reevaluation.pk}/")
    assert response.context["reevaluation_clock"].due_on == today() + datetime.timedelta(days=45)
    assert 'id="reevaluation-clock"' in response.content.decode()


def test_round_page_lists_reevaluations_the_council_date_would_leave_overdue(
    client_for, vinh_long_officer, reevaluation
):
    round_ = reevaluation.round
    from ocop.evaluation.models import Round

    Round.objects.filter(pk=round_.pk).update(council_date=today() + datetime.timedelta(days=60))
    response = client_for(vinh_long_officer).get(f"/office/evaluation/rounds/{round_.pk}/")
    assert [d.number for d, _due in response.context["late_reevaluations"]] == [reevaluation.number]
    assert 'id="late-reevaluations"' in response.content.decode()


# --- Mẫu 02 point 7 -----------------------------------------------------------------------------------------


def test_form_02_point_7_lines_follow_the_annex_and_the_dossier(draft, producer):
    from ocop.evaluation.enums import FORM02_POINT7_FIELDS
    from ocop.evaluation.forms_pdf import FORM02_POINT7, _context

    assert tuple(f for _l, _i, f, _k in FORM02_POINT7 if f and f != "*") == FORM02_POINT7_FIELDS
    complete_dossier(draft, producer)  # business registration and quality declaration uploaded
    domain.save_registration(
        draft,
        actor=producer,
        values={
            **draft.registration,
            "p7_ip_collective": "x",
            "p7_ip_other": "Đăng ký kiểu dáng bao bì",
        },
    )
    lines = _context(Dossier.objects.get(pk=draft.pk))["point7"]
    assert [(line["label"][:14], line["box"], line["ticked"], line["text"]) for line in lines] == [
        ("a) Giấy đăng k", True, True, ""),
        ("b) Đã công bố ", True, True, ""),
        ("c) Đã có các đ", False, False, ""),
        ("- Giấy chứng n", True, False, ""),
        ("- Giấy chứng n", True, False, ""),
        ("d) Đã có đăng ", True, True, ""),
        ("+ Giấy chứng n", True, False, ""),
        ("+ Văn bản ghi ", True, True, ""),
        ("+ Bằng sáng ch", True, False, ""),
        ("+ Bằng độc quy", True, False, ""),
        ("+ Giấy chứng n", True, False, ""),
        ("+ Khác (ghi rõ", True, True, "Đăng ký kiểu dáng bao bì"),
    ]


def test_form_02_point_7_boxes_are_on_the_producers_page(client_for, producer, draft):
    response = client_for(producer).post(
        f"/office/evaluation/dossiers/{draft.pk}/registration/",
        {"capacity": "1 tấn", "p7_production_licence": "x", "p7_ip_patent": "x"},
    )
    assert response.status_code == 302
    registration = Dossier.objects.get(pk=draft.pk).registration
    assert (
        registration["p7_production_licence"],
        registration["p7_ip_patent"],
        registration["p7_ip_design"],
    ) == (
        "x",
        "x",
        "",
    )
    page = client_for(producer).get(f"/office/evaluation/dossiers/{draft.pk}/").content.decode()
    assert 'id="form02-point7"' in page and 'name="p7_ip_patent" value="x" checked' in page


# --- Art. 6.1b / 6.1c: an upgrade shows its changes, a re-evaluation what is new ---------------------------


def test_upgrade_and_reevaluation_dossiers_need_their_changes(round_, product, producer):
    end = today() + datetime.timedelta(days=150)
    CertificateFactory(product=product, star=3, issued_on=end.replace(year=end.year - 3), expires_on=end)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    saved = Dossier.objects.get(pk=dossier.pk).registration
    domain.save_registration(dossier, actor=producer, values={**saved, "changes": " "})
    assert domain.missing_items(Dossier.objects.get(pk=dossier.pk)) == [
        "Phiếu đăng ký: những nội dung mới sau thời gian sản phẩm được công nhận (Điều 6 khoản 1 điểm c)"
    ]
    with pytest.raises(DomainError) as exc:
        domain.submit_dossier(dossier, actor=producer)
    assert exc.value.code == "incomplete"
    assert Dossier.objects.get(pk=dossier.pk).state == "draft"


def test_new_dossier_does_not_need_changes(draft, producer):
    complete_dossier(draft, producer)
    saved = Dossier.objects.get(pk=draft.pk).registration
    domain.save_registration(draft, actor=producer, values={**saved, "changes": ""})
    assert domain.missing_items(Dossier.objects.get(pk=draft.pk)) == []


def test_a_late_reevaluation_decision_is_recorded_and_logged_overdue(
    reevaluation, vinh_long_officer, members
):
    from .test_procedure import _decide, _score

    domain.record_samples(reevaluation, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(reevaluation, actor=vinh_long_officer, note="Đủ", comments={})
    domain.open_scoring(reevaluation, actor=vinh_long_officer)
    scored = _score(reevaluation, members, vinh_long_officer, total=75)
    Dossier.objects.filter(pk=scored.pk).update(complete_received_on=today() - datetime.timedelta(days=50))
    dossier = _decide(scored, vinh_long_officer)
    log = ActivityLog.objects.get(action="evaluation.dossier.recognised", object_id=str(dossier.pk))
    assert (dossier.state, log.data["overdue"], log.data["reevaluation_due_on"]) == (
        "recognised",
        True,
        (today() - datetime.timedelta(days=5)).isoformat(),
    )


def test_the_producers_send_button_is_the_step_the_transition_table_gives(
    draft, producer, vinh_long_officer, commune_officer
):
    """`send_dossier` (the one "send" button): a draft goes to the commune; a dossier sent back for
    completion goes to the province (Art. 7.3a); a dossier already sent cannot be sent again."""
    complete_dossier(draft, producer)
    assert domain.send_dossier(draft, actor=producer).state == "submitted"
    with pytest.raises(InvalidTransition):
        domain.send_dossier(Dossier.objects.get(pk=draft.pk), actor=producer)
    forwarded = forward(Dossier.objects.get(pk=draft.pk), commune_officer)
    domain.request_completion(forwarded, actor=vinh_long_officer, reasons="Bổ sung nhãn")
    dossier = domain.send_dossier(Dossier.objects.get(pk=draft.pk), actor=producer)
    assert (dossier.state, dossier.complete_received_on) == ("forwarded", today())
    assert _actions(dossier)[-2:] == [
        "evaluation.dossier.completion_requested",
        "evaluation.dossier.completed",
    ]
