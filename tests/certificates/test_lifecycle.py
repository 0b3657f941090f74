import datetime

import pytest
from django.core import mail

from ocop.certificates import domain
from ocop.certificates.enums import CertificateKind, CertificateStatus, RevocationGround
from ocop.certificates.models import Certificate, ExpiryNotice, NumberPattern
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.models import ActivityLog
from ocop.core.permissions import SYSTEM

from ..factories import CertificateFactory, ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = datetime.date


@pytest.fixture
def cert(producer_org):
    return CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=D(2024, 3, 1),
        decision_date=D(2024, 3, 1),
        expires_on=D(2027, 3, 1),
    )


def _actions(obj):
    return list(ActivityLog.objects.filter(object_id=str(obj.pk)).values_list("action", flat=True))


def test_status_time_travel_before_during_and_after_validity(cert):
    assert [
        cert.status_on(day)
        for day in (D(2024, 2, 29), D(2024, 3, 1), D(2026, 12, 1), D(2027, 2, 28), D(2027, 3, 1))
    ] == [
        CertificateStatus.NOT_YET,
        CertificateStatus.VALID,
        CertificateStatus.EXPIRING,
        CertificateStatus.EXPIRING,
        CertificateStatus.EXPIRED,
    ]
    assert list(Certificate.objects.valid_on(D(2027, 2, 28))) == [cert]
    assert list(Certificate.objects.valid_on(D(2027, 3, 1))) == []


def test_revoke_certificate_records_ground_and_keeps_the_past(
    cert, vinh_long_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        domain.revoke_certificate(
            cert,
            actor=vinh_long_officer,
            ground=RevocationGround.MARK_MISUSE,
            decision_number="12/QĐ-UBND",
            revoked_on=D(2026, 5, 4),
            concluded_on=D(2026, 4, 10),
        )

    cert.refresh_from_db()
    assert (
        cert.revoked_on,
        cert.revocation_ground,
        cert.revocation_decision,
        cert.revocation_authority,
        cert.revocation_concluded_on,
    ) == (D(2026, 5, 4), "mark_misuse", "12/QĐ-UBND", "Chủ tịch UBND cấp tỉnh", D(2026, 4, 10))
    log = ActivityLog.objects.get(action="certificates.certificate.revoked")
    # Art. 8.4: 15 days from the conclusion (25/4): a decision of 4/5 is recorded as late.
    assert (log.data["due_on"], log.data["late"]) == ("2026-04-25", True)
    assert cert.status_on(D(2026, 5, 3)) == CertificateStatus.VALID
    assert cert.status_on(D(2026, 5, 4)) == CertificateStatus.REVOKED
    assert _actions(cert) == ["certificates.certificate.revoked"]
    # the verify cache is dropped on commit (the catalogue's province list too)
    assert sorted(cb.__qualname__ for cb in callbacks) == [
        "forget.<locals>.run",
        "forget_provinces.<locals>.<lambda>",
    ]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"ground": "bogus", "decision_number": "1/QĐ"}, "bad_ground"),
        ({"ground": RevocationGround.OTHER_AUTHORITY, "decision_number": "1/QĐ"}, "note_required"),
        ({"ground": RevocationGround.MARK_MISUSE, "decision_number": "  "}, "no_decision"),
        (
            {
                "ground": RevocationGround.MARK_MISUSE,
                "decision_number": "1/QĐ",
                "revoked_on": "tomorrow",  # read when the test runs, not when it is collected
            },
            "future_date",
        ),
        (
            {"ground": RevocationGround.MARK_MISUSE, "decision_number": "1/QĐ", "revoked_on": D(2024, 1, 1)},
            "before_issue",
        ),
        ({"ground": "labelling", "decision_number": "1/QĐ"}, "bad_ground"),  # QĐ 148's, not Art. 8.1's
        (
            {"ground": RevocationGround.MARK_MISUSE, "decision_number": "1/QĐ", "concluded_on": None},
            "no_conclusion",
        ),
        (
            {
                "ground": RevocationGround.MARK_MISUSE,
                "decision_number": "1/QĐ",
                "revoked_on": D(2026, 5, 4),
                "concluded_on": D(2026, 5, 5),
            },
            "conclusion_after_revocation",
        ),
    ],
)
def test_revoke_certificate_refuses_bad_input_and_changes_nothing(cert, vinh_long_officer, kwargs, code):
    kwargs = {"concluded_on": D(2023, 12, 1), **kwargs}
    if kwargs.get("revoked_on") == "tomorrow":
        kwargs["revoked_on"] = today() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        domain.revoke_certificate(cert, actor=vinh_long_officer, **kwargs)

    assert exc.value.code == code
    cert.refresh_from_db()
    assert cert.revoked_on is None
    assert _actions(cert) == []


def _revoke(cert, actor, number="1/QĐ"):
    """Revoke on ground d) (misuse of the mark), concluded by the competent authority on 1/1/2026."""
    return domain.revoke_certificate(
        cert,
        actor=actor,
        ground=RevocationGround.MARK_MISUSE,
        decision_number=number,
        concluded_on=D(2026, 1, 1),
    )


def test_revoke_certificate_refused_to_wrong_role_and_other_province(
    cert, commune_officer, other_province_officer
):
    for actor in (commune_officer, other_province_officer):
        with pytest.raises(NotAllowed):
            _revoke(cert, actor)
    cert.refresh_from_db()
    assert cert.revoked_on is None


def test_revoke_twice_is_an_invalid_transition(cert, vinh_long_officer):
    _revoke(cert, vinh_long_officer)
    with pytest.raises(InvalidTransition):
        _revoke(cert, vinh_long_officer, number="2/QĐ")


def test_internal_hold_then_lift_is_not_a_public_status(cert, vinh_long_officer):
    """QĐ 26/2026 has no suspension: the office's hold during a check is internal; the public status and
    validity do not change."""
    domain.suspend_certificate(
        cert, actor=vinh_long_officer, reason="Hậu kiểm nhãn", suspended_on=D(2026, 1, 10)
    )
    domain.lift_suspension(cert, actor=vinh_long_officer, lifted_on=D(2026, 2, 1))

    cert.refresh_from_db()
    days = (D(2026, 1, 9), D(2026, 1, 10), D(2026, 1, 31), D(2026, 2, 1))
    assert [cert.status_on(d) for d in days] == [CertificateStatus.VALID] * 4
    assert [cert.is_suspended_on(d) for d in days] == [False, True, True, False]
    assert list(Certificate.objects.valid_on(D(2026, 1, 20))) == [cert]
    assert _actions(cert) == [
        "certificates.certificate.suspension_lifted",
        "certificates.certificate.suspended",
    ]


def test_suspend_expired_certificate_is_refused(producer_org, vinh_long_officer):
    old = CertificateFactory(product=ProductFactory(producer=producer_org))  # 2022–2025, expired
    with pytest.raises(InvalidTransition):
        domain.suspend_certificate(old, actor=vinh_long_officer, reason="x")


def test_record_post_check(cert, vinh_long_officer):
    check = domain.record_post_check(
        cert,
        actor=vinh_long_officer,
        checked_on=D(2026, 6, 1),
        team="Tổ hậu kiểm",
        findings="Đạt",
        result="passed",
    )
    assert list(cert.post_checks.values_list("pk", "team", "result")) == [(check.pk, "Tổ hậu kiểm", "passed")]
    assert _actions(cert) == ["certificates.certificate.post_checked"]


def test_reevaluation_supersedes_earlier_certificate_down_a_star(producer_org):
    product = ProductFactory(producer=producer_org)
    old = CertificateFactory(
        product=product,
        star=4,
        issued_on=D(2023, 1, 5),
        decision_date=D(2023, 1, 5),
        expires_on=D(2026, 1, 5),
    )

    new = domain.issue_certificate(
        product,
        actor=SYSTEM,
        star=3,
        decision_number="9/QĐ",
        decision_date=D(2025, 12, 1),
        issuer_name="UBND tỉnh Vĩnh Long",
        kind=CertificateKind.REEVALUATION,
    )

    old.refresh_from_db()
    assert (old.superseded_by, old.superseded_on) == (new, D(2025, 12, 1))
    assert old.status_on(D(2025, 11, 30)) == CertificateStatus.EXPIRING
    assert old.status_on(D(2025, 12, 1)) == CertificateStatus.SUPERSEDED
    assert list(Certificate.objects.filter(product=product).valid_on(D(2026, 6, 1))) == [new]
    assert new.number.startswith("86-")  # after 1/7/2025 the current map's code (Vĩnh Long)


def test_number_pattern_per_province(ben_tre, vinh_long_officer, producer_org):
    domain.set_number_pattern(ben_tre, actor=vinh_long_officer, pattern="BT-{commune}-{seq:04d}-{year}")
    product = ProductFactory(producer=producer_org)

    certificate = domain.issue_certificate(
        product,
        actor=SYSTEM,
        star=3,
        decision_number="1/QĐ",
        decision_date=D(2024, 4, 1),
        issuer_name="UBND tỉnh Bến Tre",
    )

    assert certificate.number == "BT-28756-0001-2024"
    assert list(NumberPattern.objects.values_list("pattern", flat=True)) == ["BT-{commune}-{seq:04d}-{year}"]


@pytest.mark.parametrize("pattern", ["{province}-{year}", "{province}/{seq}/{year}", "{nope}-{seq}-{year}"])
def test_number_pattern_refuses_bad_patterns(ben_tre, vinh_long_officer, pattern):
    with pytest.raises(DomainError):
        domain.set_number_pattern(ben_tre, actor=vinh_long_officer, pattern=pattern)
    assert NumberPattern.objects.count() == 0


def test_number_pattern_refused_to_other_province(ben_tre, other_province_officer):
    with pytest.raises(NotAllowed):
        domain.set_number_pattern(ben_tre, actor=other_province_officer, pattern="{province}-{seq}-{year}")


def test_expiry_notices_are_sent_once_per_threshold(producer_org):
    producer_org.email = "htx@example.vn"
    producer_org.save(update_fields=["email"])
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=D(2023, 9, 1),
        decision_date=D(2023, 9, 1),
        expires_on=D(2026, 9, 1),
    )

    # Default thresholds 210, 180, 150 days (around the filing window of QĐ 26/2026 Art. 7.6a).
    sent = [
        domain.send_expiry_notices(D(2026, 1, 1)),  # 243 days left: nothing
        domain.send_expiry_notices(D(2026, 2, 2)),  # 211 days: nothing yet
        domain.send_expiry_notices(D(2026, 2, 3)),  # 210 days: the first notice
        domain.send_expiry_notices(D(2026, 2, 3)),  # rerun: nothing new
        domain.send_expiry_notices(D(2026, 3, 10)),  # 175 days: the 180-day notice (window open)
        domain.send_expiry_notices(D(2026, 4, 20)),  # 134 days: the 150-day notice
        domain.send_expiry_notices(D(2026, 8, 20)),
    ]

    assert sent == [0, 0, 1, 0, 1, 1, 0]
    assert list(
        ExpiryNotice.objects.order_by("days_before").values_list("days_before", "due_on", "channel")
    ) == [
        (150, D(2026, 4, 4), "email"),
        (180, D(2026, 3, 5), "email"),
        (210, D(2026, 2, 3), "email"),
    ]
    assert [m.to for m in mail.outbox] == [["htx@example.vn"]] * 3
    assert cert.number in mail.outbox[0].subject


def test_expiry_notice_claim_is_exclusive(producer_org):
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=D(2023, 9, 1), expires_on=D(2026, 9, 1)
    )
    domain.due_notice_rows(D(2026, 8, 20))
    notice = ExpiryNotice.objects.get(certificate=cert)

    assert [domain.claim_notice(notice.pk), domain.claim_notice(notice.pk)] == [True, False]


def test_expiry_notices_skip_revoked_certificates(producer_org, vinh_long_officer):
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=D(2023, 9, 1), expires_on=D(2026, 9, 1)
    )
    cert.revoked_on = D(2026, 1, 1)
    cert.save(update_fields=["revoked_on"])

    assert domain.send_expiry_notices(D(2026, 8, 20)) == 0


def test_notice_claimed_by_a_killed_worker_is_sent_after_the_lease(producer_org):
    """The worker died between claiming a notice and delivering it: the next run after the lease
    delivers it once; a notice still inside its lease (a live worker) is left alone."""
    import datetime

    from django.utils import timezone

    producer_org.email = "htx@example.vn"
    producer_org.save(update_fields=["email"])
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=D(2023, 9, 1), expires_on=D(2026, 9, 1)
    )
    domain.due_notice_rows(D(2026, 8, 20))
    notice = ExpiryNotice.objects.get(certificate=cert)
    assert domain.claim_notice(notice.pk) is True  # ... and the worker is killed here

    assert domain.send_expiry_notices(D(2026, 8, 20)) == 0  # within the lease: not resent yet
    ExpiryNotice.objects.filter(pk=notice.pk).update(
        processed_at=timezone.now() - domain.NOTICE_LEASE - datetime.timedelta(seconds=1)
    )
    assert domain.send_expiry_notices(D(2026, 8, 20)) == 1
    assert domain.send_expiry_notices(D(2026, 8, 20)) == 0
    assert [m.to for m in mail.outbox] == [["htx@example.vn"]]
    notice.refresh_from_db()
    assert notice.channel == "email"
