"""The dossier lifecycle through the domain functions: transitions, logs, notices, refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.evaluation import domain
from ocop.evaluation.models import Dossier, Evidence, Notification, Scoresheet

from .conftest import COMMUNE_FORM, answers, answers_totalling, complete_dossier, local_assessment

pytestmark = pytest.mark.integration


def test_open_dossier_freezes_rubric(draft, round_):
    assert (draft.state, draft.rubric.criteria_set.code, draft.rubric.product_set) == (
        "draft",
        "QD26-2026",
        7,
    )


def test_submit_incomplete_refused_with_list(draft, producer):
    with pytest.raises(DomainError) as caught:
        domain.submit_dossier(draft, actor=producer)
    assert caught.value.code == "incomplete"
    assert caught.value.message.startswith("Hồ sơ chưa đầy đủ: Phiếu đăng ký: công suất sản xuất; ")
    assert Dossier.objects.get(pk=draft.pk).state == "draft"


def test_submit_logs_and_notifies_commune(
    draft, producer, commune_officer, django_capture_on_commit_callbacks
):
    complete_dossier(draft, producer)
    with django_capture_on_commit_callbacks(execute=True):
        domain.submit_dossier(draft, actor=producer)
    log = ActivityLog.objects.filter(action="evaluation.dossier.submitted").get()
    dossier = Dossier.objects.get(pk=draft.pk)
    assert (dossier.state, log.data) == (
        "submitted",
        {
            "from": "draft",
            "to": "submitted",
            "commune_due_on": dossier.commune_due_on.isoformat(),
            "late": False,
        },
    )
    assert list(Notification.objects.values_list("user__username", "verb")) == [("commune", "submitted")]


def test_double_submit_refused(draft, producer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    with pytest.raises(InvalidTransition):
        domain.submit_dossier(draft, actor=producer)
    assert ActivityLog.objects.filter(action="evaluation.dossier.submitted").count() == 1


def test_other_producer_cannot_touch_dossier(draft, other_producer):
    with pytest.raises(PermissionDenied):
        domain.save_registration(draft, actor=other_producer, values={"capacity": "x"})
    assert Dossier.objects.get(pk=draft.pk).registration["capacity"] == ""


def test_return_and_resubmit(draft, producer, commune_officer, django_capture_on_commit_callbacks):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    with django_capture_on_commit_callbacks(execute=True):
        domain.return_dossier(draft, actor=commune_officer, reasons="Thiếu kiểm nghiệm")
    assert (
        Dossier.objects.get(pk=draft.pk).state,
        Notification.objects.get(verb="returned").user.username,
    ) == ("returned", "producer")
    domain.submit_dossier(draft, actor=producer)
    assert Dossier.objects.get(pk=draft.pk).state == "submitted"


def test_other_province_officer_cannot_return(draft, producer, other_province_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    with pytest.raises(PermissionDenied):
        domain.return_dossier(draft, actor=other_province_officer, reasons="x")
    assert Dossier.objects.get(pk=draft.pk).state == "submitted"


def test_forward_needs_every_local_criterion(draft, producer, commune_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    partial = dict(list(local_assessment(draft).items())[:1])
    with pytest.raises(DomainError) as caught:
        domain.forward_dossier(
            draft, actor=commune_officer, assessment=partial, report="ok", form=COMMUNE_FORM
        )
    assert (caught.value.code, Dossier.objects.get(pk=draft.pk).state) == ("missing_criterion", "submitted")


def test_upload_lying_about_type_refused(draft, producer):
    fake = SimpleUploadedFile(
        "scan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as caught:
        domain.add_evidence(draft, fake, actor=producer, kind="photo")
    assert (caught.value.code, Evidence.objects.count()) == ("bad_type", 0)


def test_upload_too_large_refused(draft, producer, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(DomainError) as caught:
        domain.add_evidence(draft, big, actor=producer, kind="photo")
    assert (caught.value.code, Evidence.objects.count()) == ("too_large", 0)


def test_scoresheet_out_of_option_refused(in_scoring, council_member):
    with pytest.raises(DomainError) as caught:
        domain.save_scoresheet(in_scoring, actor=council_member, answers={"1.1": "9.9-9"})
    assert (caught.value.code, Scoresheet.objects.count()) == ("unknown_option", 0)


def test_scoresheet_dossier_not_in_scoring_refused(draft, council_member, members):
    with pytest.raises(InvalidTransition):
        domain.save_scoresheet(draft, actor=council_member, answers={})
    assert Scoresheet.objects.count() == 0


def test_recused_member_cannot_score(in_scoring, council_member):
    domain.declare_conflict(in_scoring, actor=council_member, reason="Người thân của chủ thể")
    with pytest.raises(DomainError) as caught:
        domain.save_scoresheet(in_scoring, actor=council_member, answers={})
    assert (caught.value.code, Scoresheet.objects.count()) == ("recused", 0)


def test_submitted_sheet_locked_and_correction_is_new_version(in_scoring, council_member):
    tree = in_scoring.rubric.tree
    domain.save_scoresheet(in_scoring, actor=council_member, answers=answers(tree), submit=True)
    with pytest.raises(InvalidTransition):
        domain.save_scoresheet(in_scoring, actor=council_member, answers=answers(tree, 0))
    sheet = domain.current_sheet(in_scoring, council_member)
    new = domain.correct_scoresheet(sheet, actor=council_member, reason="Nhầm tiêu chí C2")
    assert (new.version, new.status, Scoresheet.objects.get(pk=sheet.pk).status) == (2, "draft", "superseded")


def test_stale_save_from_second_tab_refused(in_scoring, council_member):
    first = domain.save_scoresheet(in_scoring, actor=council_member, answers={"1.1": "1.1-3"})
    domain.save_scoresheet(
        in_scoring,
        actor=council_member,
        answers={"1.1": "1.1-2", "1.3": "1.3-2"},
        lock_version=first.lock_version,
    )
    with pytest.raises(DomainError) as caught:
        domain.save_scoresheet(
            in_scoring, actor=council_member, answers={"1.1": "1.1-1"}, lock_version=first.lock_version
        )
    assert (caught.value.code, Scoresheet.objects.get().answers) == (
        "stale_sheet",
        {"1.1": "1.1-2", "1.3": "1.3-2"},
    )


def test_close_needs_every_non_recused_member(in_scoring, members, vinh_long_officer):
    tree = in_scoring.rubric.tree
    domain.save_scoresheet(in_scoring, actor=members[0], answers=answers(tree), submit=True)
    with pytest.raises(DomainError) as caught:
        domain.close_scoring(in_scoring, actor=vinh_long_officer)
    assert (caught.value.code, Dossier.objects.get(pk=in_scoring.pk).state) == ("sheets_missing", "scoring")


def test_full_flow_to_certificate_and_national_result(
    in_scoring, members, vinh_long_officer, ministry_officer, producer
):
    tree = in_scoring.rubric.tree
    domain.declare_conflict(in_scoring, actor=members[2], reason="Cùng xã")
    domain.save_scoresheet(in_scoring, actor=members[0], answers=answers(tree), submit=True)
    domain.save_scoresheet(in_scoring, actor=members[1], answers=answers_totalling(tree, 80), submit=True)
    dossier = domain.close_scoring(in_scoring, actor=vinh_long_officer)
    assert (dossier.state, dossier.result_total, dossier.result_star, dossier.potential_5_star) == (
        "scored",
        Decimal("90.00"),
        5,
        True,
    )
    decision = domain.create_decision(
        dossier.round,
        actor=vinh_long_officer,  # the legacy Bến Tre office no longer signs (since 1/7/2025)
        number="123/QĐ-UBND",
        date=today(),
        signer="Nguyễn Văn A",
        signer_title="Phó Chủ tịch",
        issuer_name="",
        dossiers=[dossier],
    )
    assert decision.issuer_name == "UBND tỉnh Vĩnh Long"
    domain.record_decision(decision, actor=vinh_long_officer)
    dossier = Dossier.objects.select_related("certificate").get(pk=dossier.pk)
    # QĐ 26/2026 Art. 7.3e: ≥ 90 points: no provincial certificate; the result is approved and sent on.
    assert (dossier.state, dossier.certificate, dossier.approval_decision, dossier.decision) == (
        "nominated_5star",
        None,
        decision,
        None,
    )
    with pytest.raises(PermissionDenied):
        domain.record_national_result(dossier, actor=vinh_long_officer, star=5)
    domain.record_national_result(
        dossier,
        actor=ministry_officer,
        star=5,
        decision_number="99/QĐ-BNNMT",
        decision_date=today(),
    )
    dossier = Dossier.objects.select_related("certificate").get(pk=dossier.pk)
    assert (dossier.state, dossier.national_star, dossier.certificate.star) == ("recognised", 5, 5)
