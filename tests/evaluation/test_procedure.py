"""The procedure of QĐ 26/2026/QĐ-TTg (Art. 4–8, 12, Annex II code, Annex III forms) on real databases."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from ocop.certificates.models import Certificate
from ocop.core import publication
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.evaluation import domain, procedure
from ocop.evaluation.models import Dossier, Notification
from ocop.registry.enums import ProducerKind
from tests.factories import CertificateFactory, ProductFactory

from .conftest import COMMUNE_FORM, answers_totalling, complete_dossier, forward, local_assessment

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = datetime.date


def _actions(obj):
    return list(
        ActivityLog.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Pure rules --------------------------------------------------------------------------------------


@pytest.mark.unit
def test_fifteen_working_days_skip_weekends_and_fixed_holidays():
    # Friday 24/4/2026: the 15 working days skip 30/4, 1/5 and the weekends.
    assert procedure.commune_due_on(D(2026, 4, 24)) == D(2026, 5, 19)
    assert procedure.working_days_between(D(2026, 4, 24), D(2026, 5, 19)) == 15


@pytest.mark.unit
@override_settings(OCOP_EXTRA_HOLIDAYS=(D(2026, 5, 18),))
def test_extra_holidays_from_settings_push_the_deadline():
    assert procedure.commune_due_on(D(2026, 4, 24)) == D(2026, 5, 20)


@pytest.mark.unit
def test_legal_calendar_of_art_5():
    first, second = procedure.legal_calendar(2027, 1), procedure.legal_calendar(2027, 2)
    assert (first.commune_deadline, first.council_date) == (D(2027, 4, 29), D(2027, 6, 29))
    assert (second.commune_deadline, second.council_date) == (D(2027, 10, 29), D(2027, 12, 29))
    assert procedure.working_days_between(first.submission_deadline, first.commune_deadline) == 15
    assert procedure.departs_from_calendar(2027, D(2027, 4, 1), D(2027, 4, 29), D(2027, 6, 29)) is False
    assert procedure.departs_from_calendar(2027, D(2027, 4, 1), D(2027, 5, 10), D(2027, 6, 20)) is True
    assert procedure.departs_from_calendar(2027, D(2027, 11, 1), D(2027, 11, 20), D(2027, 12, 30)) is True


@pytest.mark.unit
def test_product_code_as_annex_ii_writes_it():
    assert procedure.product_code("86", "28756", 7, 2026) == "86-28756-7-2026"


def test_reevaluation_window_180_to_120_days(producer_org):
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=D(2024, 3, 1), expires_on=D(2027, 3, 1)
    )
    # The last valid day is 28/2/2027: 180 days before it is 1/9/2026, 120 days before it 31/10/2026.
    assert procedure.reevaluation_window(cert) == (D(2026, 9, 1), D(2026, 10, 31))
    with pytest.raises(DomainError) as early:
        procedure.check_reevaluation_filing(cert, D(2026, 8, 31))
    with pytest.raises(DomainError) as late:
        procedure.check_reevaluation_filing(cert, D(2026, 11, 1))
    assert (early.value.code, late.value.code) == ("too_early", "too_late")
    assert procedure.check_reevaluation_filing(cert, D(2026, 9, 15)) is False


def test_late_filing_accepted_when_the_window_closed_before_the_decision(producer_org):
    """Art. 12.3: a certificate whose window had closed before 22/5/2026 could not meet it."""
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=D(2023, 8, 1), expires_on=D(2026, 8, 1)
    )
    assert procedure.check_reevaluation_filing(cert, D(2026, 6, 1)) is True


# --- Rounds ------------------------------------------------------------------------------------------


def test_round_outside_the_legal_calendar_needs_a_reason(demo_set, vinh_long, vinh_long_officer):
    kwargs = {
        "actor": vinh_long_officer,
        "province": vinh_long,
        "name": "Đợt bổ sung",
        "year": 2027,
        "criteria_set": demo_set,
        "submission_deadline": D(2027, 4, 1),
        "review_deadline": D(2027, 5, 10),
        "council_date": D(2027, 6, 20),
    }
    with pytest.raises(DomainError) as exc:
        domain.create_round(**kwargs)
    assert exc.value.code == "schedule_reason_required"
    round_ = domain.create_round(**kwargs, schedule_note="Đợt bổ sung theo Quy chế")
    log = ActivityLog.objects.get(action="evaluation.round.created")
    assert (log.data["departs_from_calendar"], log.data["reason"]) == (True, "Đợt bổ sung theo Quy chế")
    assert round_.schedule_note == "Đợt bổ sung theo Quy chế"


def test_reschedule_round_logs_the_reason_and_refuses_without_one(
    round_, vinh_long_officer, other_province_officer
):
    dates = {
        "submission_deadline": round_.submission_deadline,
        "review_deadline": round_.review_deadline,
        "council_date": round_.council_date + datetime.timedelta(days=3),
    }
    with pytest.raises(DomainError):
        domain.reschedule_round(round_, actor=vinh_long_officer, reason=" ", **dates)
    with pytest.raises(PermissionDenied):
        domain.reschedule_round(round_, actor=other_province_officer, reason="x", **dates)
    domain.reschedule_round(round_, actor=vinh_long_officer, reason="Hội đồng họp muộn", **dates)
    round_.refresh_from_db()
    log = ActivityLog.objects.get(action="evaluation.round.rescheduled")
    assert (round_.council_date, log.data["reason"]) == (dates["council_date"], "Hội đồng họp muộn")


def test_dossier_against_a_set_not_in_force_is_refused(round_, product, producer):
    """A round kept from before the check (its set lapsed or not yet in force on its opening date)."""
    criteria_set = round_.criteria_set
    criteria_set.valid_from = today() + datetime.timedelta(days=1)
    criteria_set.save(update_fields=["valid_from"])
    with pytest.raises(DomainError) as exc:
        domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")
    assert (exc.value.code, exc.value.status) == ("set_not_in_force", 422)
    assert criteria_set.code in exc.value.message
    assert Dossier.objects.count() == 0


def test_association_may_register_only_tourism(round_, producer_org, producer):
    producer_org.kind = ProducerKind.ASSOCIATION
    producer_org.save(update_fields=["kind"])
    with pytest.raises(DomainError) as exc:
        domain.open_dossier(
            actor=producer,
            round_=round_,
            product=ProductFactory(producer=producer_org, product_set=7),
            kind="new",
        )
    assert exc.value.code == "kind_not_allowed"


# --- Commune: clock, Mẫu 03, product code --------------------------------------------------------------


def test_submit_starts_the_commune_clock(draft, producer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    draft.refresh_from_db()
    assert (draft.commune_received_on, draft.commune_due_on) == (today(), procedure.commune_due_on(today()))
    clock = procedure.commune_clock(draft, today())
    assert (clock.left, clock.done, clock.overdue) == (15, False, False)
    late = procedure.commune_clock(draft, draft.commune_due_on + datetime.timedelta(days=7))
    assert late.overdue is True and late.left < 0


def test_forward_needs_the_four_contents_of_form_03_and_changes_nothing(draft, producer, commune_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    with pytest.raises(DomainError) as exc:
        domain.forward_dossier(
            draft,
            actor=commune_officer,
            assessment=local_assessment(draft),
            report="Đề nghị",
            form={**COMMUNE_FORM, "local_identity": " "},
        )
    assert exc.value.code == "commune_form_incomplete"
    draft.refresh_from_db()
    assert (draft.state, draft.commune_form, draft.product.code) == ("submitted", {}, "")


def test_forward_records_form_03_and_gives_the_product_its_code(
    draft, producer, commune_officer, monkeypatch
):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    published = []
    monkeypatch.setattr(publication, "_publishers", [lambda obj, ids: published.append((obj, ids))])
    forward(draft, commune_officer)
    assert published == [(draft.product, frozenset({draft.product_id}))]  # its public pages show the code
    draft.refresh_from_db()
    commune = draft.producer.current_commune or draft.producer.commune
    assert draft.product.code == f"{commune.province.code}-{commune.code}-1-{draft.round.year}"
    assert (draft.state, draft.commune_form, draft.commune_reported_on) == (
        "forwarded",
        COMMUNE_FORM,
        today(),
    )
    assert procedure.commune_clock(draft, today()).done is True
    assert _actions(draft.product) == ["registry.product.code_assigned"]


def test_producer_cannot_change_the_product_code(product, producer):
    from ocop.registry.domain import update_product

    with pytest.raises(PermissionDenied):
        update_product(product, actor=producer, code="86-1-1-2026")
    product.refresh_from_db()
    assert product.code == ""


# --- Knock-out ----------------------------------------------------------------------------------------


def test_disqualify_with_reason_is_shown_to_the_producer(
    in_scoring, vinh_long_officer, producer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.disqualify_dossier(
            in_scoring,
            actor=vinh_long_officer,
            knockouts=[{"criterion": "", "reason": "Giả mạo giấy chứng nhận an toàn thực phẩm"}],
        )
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.outcome, in_scoring.knockouts) == (
        "disqualified",
        "knocked_out",
        [{"criterion": "", "reason": "Giả mạo giấy chứng nhận an toàn thực phẩm"}],
    )
    assert list(Notification.objects.filter(user=producer).values_list("verb", flat=True)) == ["disqualified"]
    with pytest.raises(InvalidTransition):
        domain.open_scoring(in_scoring, actor=vinh_long_officer)


def test_disqualify_refused_without_reason_or_by_the_producer(in_scoring, producer, vinh_long_officer):
    with pytest.raises(DomainError):
        domain.disqualify_dossier(in_scoring, actor=vinh_long_officer, knockouts=[{"reason": "  "}])
    with pytest.raises(PermissionDenied):
        domain.disqualify_dossier(in_scoring, actor=producer, knockouts=[{"reason": "x"}])
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.knockouts) == ("scoring", [])


def test_knockout_from_the_sets_disqualifier_line_and_a_criterion(in_scoring, vinh_long_officer):
    """The set's "Hồ sơ bị loại khi" line (Annex II) is read from the rubric, with the reason as written."""
    tree = in_scoring.rubric.tree
    domain.disqualify_dossier(in_scoring, actor=vinh_long_officer, knockouts=["disqualifier:1"])
    in_scoring.refresh_from_db()
    assert (in_scoring.state, in_scoring.outcome, in_scoring.knockouts) == (
        "disqualified",
        "knocked_out",
        [{"criterion": "", "reason": tree["disqualifiers"][0]}],
    )
    log = ActivityLog.objects.get(action="evaluation.dossier.disqualified")
    assert log.data == {"from": "scoring", "knockouts": in_scoring.knockouts}


def test_knockout_of_an_unknown_criterion_is_refused(in_scoring, vinh_long_officer):
    with pytest.raises(DomainError) as exc:
        domain.disqualify_dossier(
            in_scoring, actor=vinh_long_officer, knockouts=[{"criterion": "Z9", "reason": "x"}]
        )
    assert exc.value.code == "unknown_criterion"
    in_scoring.refresh_from_db()
    assert in_scoring.state == "scoring"


# --- Decisions: ≥ 90, central result, 5★ protection, upgrade --------------------------------------------


def _score(dossier, members, officer, total=100):
    for member in members:
        domain.save_scoresheet(
            dossier, actor=member, answers=answers_totalling(dossier.rubric.tree, total), submit=True
        )
    return domain.close_scoring(dossier, actor=officer)


def _decide(dossier, officer, number="123/QĐ-UBND", date=None):
    """Since 1/7/2025 the successor province (Vĩnh Long) signs Bến Tre's decisions."""
    decision = domain.create_decision(
        dossier.round,
        actor=officer,
        number=number,
        date=date or today(),
        signer="Nguyễn Văn A",
        signer_title="Phó Chủ tịch",
        issuer_name="UBND tỉnh Bến Tre",
        dossiers=[dossier],
    )
    domain.record_decision(decision, actor=officer)
    return Dossier.objects.select_related("certificate").get(pk=dossier.pk)


def test_ninety_points_no_provincial_certificate_then_central_below_90_province_recognises_4_stars(
    in_scoring, members, vinh_long_officer, ministry_officer
):
    dossier = _decide(_score(in_scoring, members, vinh_long_officer), vinh_long_officer)
    assert (dossier.state, dossier.certificate, Certificate.objects.count()) == ("nominated_5star", None, 0)

    with pytest.raises(PermissionDenied):
        domain.record_national_result(dossier, actor=vinh_long_officer, star=4, total="85")
    domain.record_national_result(dossier, actor=ministry_officer, star=4, total="85,5".replace(",", "."))
    dossier.refresh_from_db()
    assert (dossier.state, dossier.national_star, dossier.national_total) == (
        "national_below_90",
        4,
        Decimal("85.50"),
    )
    dossier = _decide(dossier, vinh_long_officer, number="200/QĐ-UBND")
    assert (dossier.state, dossier.outcome, dossier.certificate.star, dossier.certificate.score) == (
        "recognised",
        "certified",
        4,
        Decimal("85.50"),
    )
    assert dossier.certificate.decision_number == "200/QĐ-UBND"


def test_provincial_decision_never_replaces_a_valid_5_star(in_scoring, members, vinh_long_officer, product):
    five = CertificateFactory(
        product=product,
        star=5,
        issued_on=today() - datetime.timedelta(days=400),
        expires_on=today() + datetime.timedelta(days=400),
    )
    dossier = _score(in_scoring, members, vinh_long_officer, total=80)  # 4★
    assert dossier.result_star == 4
    with pytest.raises(DomainError) as exc:
        _decide(dossier, vinh_long_officer)
    assert exc.value.code == "five_star_in_force"
    five.refresh_from_db()
    assert (five.superseded_on, Certificate.objects.count()) == (None, 1)
    dossier.refresh_from_db()
    assert dossier.state == "scored"


def test_failed_upgrade_keeps_the_certificate_unchanged(
    round_, product, producer, commune_officer, vinh_long_officer, members
):
    old = CertificateFactory(
        product=product,
        star=4,
        issued_on=today() - datetime.timedelta(days=300),
        expires_on=today() + datetime.timedelta(days=800),
    )
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="upgrade")
    assert dossier.renews == old
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    domain.record_samples(dossier, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(dossier, actor=vinh_long_officer, note="Đủ", comments={})
    domain.open_scoring(dossier, actor=vinh_long_officer)
    scored = _score(dossier, members, vinh_long_officer, total=80)
    assert scored.result_star == 4
    dossier = _decide(scored, vinh_long_officer)
    old.refresh_from_db()
    assert (dossier.state, dossier.outcome, dossier.certificate) == ("not_recognised", "upgrade_failed", None)
    assert (old.superseded_on, old.expires_on, Certificate.objects.count()) == (None, old.expires_on, 1)


# --- Re-evaluation and Art. 12.3 ------------------------------------------------------------------------


def _cert_in_window(product, star=3):
    end = today() + datetime.timedelta(days=150)
    return CertificateFactory(
        product=product, star=star, issued_on=end.replace(year=end.year - 3), expires_on=end
    )


def test_reevaluation_filed_in_window_keeps_certificate_in_force_and_verify_says_so(
    round_, product, producer, client
):
    cert = _cert_in_window(product)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    cert.refresh_from_db()
    assert cert.extended_to == cert.expires_on + datetime.timedelta(days=180)
    after_end = cert.expires_on + datetime.timedelta(days=10)
    assert cert.status_on(after_end) == "valid"
    assert list(Certificate.objects.valid_on(after_end)) == [cert]
    assert cert.status_on(cert.expires_on + datetime.timedelta(days=180)) == "expired"

    from ocop.stamps.verification import public_json, resolve

    body = public_json(resolve(cert.number, after_end)[0])
    assert (body["status"], body["extended_until"], body["extension_basis"], body["valid_until"]) == (
        "valid",
        (cert.expires_on + datetime.timedelta(days=179)).isoformat(),
        "QĐ 26/2026/QĐ-TTg, Điều 12 khoản 3",
        cert.valid_until.isoformat(),
    )


def test_reevaluation_filed_too_early_is_refused(round_, product, producer):
    end = today() + datetime.timedelta(days=400)
    cert = CertificateFactory(product=product, issued_on=end.replace(year=end.year - 3), expires_on=end)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    with pytest.raises(DomainError) as exc:
        domain.submit_dossier(dossier, actor=producer)
    assert exc.value.code == "too_early"
    dossier.refresh_from_db()
    cert.refresh_from_db()
    assert (dossier.state, cert.extended_to) == ("draft", None)


def test_withdrawn_reevaluation_ends_the_extension(round_, product, producer):
    cert = _cert_in_window(product)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    domain.withdraw_dossier(dossier, actor=producer, reason="Không tiếp tục")
    cert.refresh_from_db()
    assert cert.extended_to is None
    assert _actions(cert)[-2:] == [
        "certificates.certificate.extended",
        "certificates.certificate.extension_ended",
    ]


def test_five_star_reevaluation_goes_to_the_ministry(
    round_, product, producer, commune_officer, vinh_long_officer, ministry_officer
):
    cert = _cert_in_window(product, star=5)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    assert dossier.goes_to_ministry is True
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    domain.record_samples(dossier, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(dossier, actor=vinh_long_officer, note="Đủ", comments={})
    with pytest.raises(DomainError) as exc:
        domain.open_scoring(dossier, actor=vinh_long_officer)
    assert exc.value.code == "ministry_only"
    domain.send_to_ministry(dossier, actor=vinh_long_officer, report="Báo cáo đánh giá của cơ quan tham mưu")
    domain.record_national_result(
        dossier,
        actor=ministry_officer,
        star=5,
        total="92",
        decision_number="9/QĐ-BNNMT",
        decision_date=today(),
    )
    dossier.refresh_from_db()
    cert.refresh_from_db()
    assert (dossier.state, dossier.outcome, dossier.certificate.star) == ("recognised", "national_5_stars", 5)
    assert (cert.superseded_by, cert.extended_to) == (dossier.certificate, None)
