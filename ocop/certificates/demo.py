"""Demo step: certificates after July 2022 (nothing dated on or before 31/07/2022 changes).

Re-recognitions in 2025 (one of them an upgrade, one ending a star lower), one certificate expiring
next month, one revoked, one suspended during a post-certification check, and the expiry notices
due today. Idempotent: each item is keyed by its decision number."""

import datetime
from decimal import Decimal

from ocop.core.dates import add_months, today
from ocop.core.permissions import SYSTEM
from ocop.geo.enums import Level, MapVersion
from ocop.geo.models import AdminUnit

from .domain import due_notice_rows, issue_certificate
from .enums import CertificateKind, CertificateSource, PostCheckResult, RevocationGround
from .models import Certificate, PostCheck

RECERT_2025 = [  # (index into the demo products, issued_on, star)
    (i, datetime.date(2025, 3 + i % 9, 5 + i % 20), None) for i in range(0, 40)
]


def _vinh_long():
    return AdminUnit.objects.filter(map=MapVersion.CURRENT, level=Level.PROVINCE, code="86").first()


def _issue(product, *, star, issued_on, decision, kind, score, demo, unit):
    existing = Certificate.objects.filter(product=product, decision_number=decision).first()
    if existing:
        return existing
    after_reform = issued_on >= datetime.date(2025, 7, 1)
    return issue_certificate(
        product,
        actor=SYSTEM,
        star=star,
        score=Decimal(score),
        decision_number=decision,
        decision_date=issued_on,
        issuer_name="UBND tỉnh Vĩnh Long" if after_reform else "UBND tỉnh Bến Tre",
        issuer_unit=unit if after_reform else demo.province,
        issued_on=issued_on,
        kind=kind,
        source=CertificateSource.DECISION,
        criteria_set="QD148-2023",
    )


def seed(demo):
    products = demo.data.get("products") or []
    certificates = demo.data.get("certificates") or []
    if len(products) < 60:
        return
    vinh_long = _vinh_long()
    officer = demo.users.get("province_officer")
    recert = []
    for i, issued_on, _star in RECERT_2025:
        old = certificates[i]
        star = old.star
        kind = CertificateKind.REEVALUATION
        if i == 5 and star == 3:
            star, kind = 4, CertificateKind.UPGRADE
        elif i == 70 % 40 and star == 4:
            star = 3  # re-recognised a star lower
        score = {3: "62.5", 4: "78.0", 5: "91.0"}[star]
        decision = f"{100 + i}/QĐ-UBND-2025"
        recert.append(
            _issue(
                products[i],
                star=star,
                issued_on=issued_on,
                decision=decision,
                kind=kind,
                score=score,
                demo=demo,
                unit=vinh_long,
            )
        )
    # One of the 4★ products re-recognised 35 months ago: expires next month.
    soon = add_months(today(), -35) + datetime.timedelta(days=3)
    expiring = _issue(
        products[70],
        star=4,
        issued_on=soon,
        decision="77/QĐ-UBND-expiring",
        kind=CertificateKind.REEVALUATION,
        score="81.5",
        demo=demo,
        unit=vinh_long,
    )
    # Revoked in 2026 after a food-safety violation.
    revoked = _issue(
        products[45],
        star=3,
        issued_on=datetime.date(2025, 2, 14),
        decision="45/QĐ-UBND-2025",
        kind=CertificateKind.REEVALUATION,
        score="58.0",
        demo=demo,
        unit=vinh_long,
    )
    if not revoked.revoked_on:
        revoked.revoked_on, revoked.revocation_ground = (
            datetime.date(2026, 9, 12),
            RevocationGround.LAW_VIOLATION,
        )
        revoked.revocation_decision = "2150/QĐ-UBND"
        revoked.revocation_note = "Mẫu kiểm tra vượt ngưỡng vi sinh vật (đợt hậu kiểm 8/2026)."
        revoked.save(
            update_fields=[
                "revoked_on",
                "revocation_ground",
                "revocation_decision",
                "revocation_note",
                "updated_at",
            ]
        )
    # Suspended during a post-certification check.
    suspended = recert[12]
    if not suspended.suspended_on:
        suspended.suspended_on = datetime.date(2026, 10, 20)
        suspended.suspension_reason = "Tạm dừng trong thời gian hậu kiểm nhãn mác."
        suspended.save(update_fields=["suspended_on", "suspension_reason", "updated_at"])
    if not PostCheck.objects.filter(certificate=suspended).exists():
        PostCheck.objects.create(
            certificate=suspended,
            checked_on=datetime.date(2026, 10, 18),
            team="Tổ hậu kiểm Sở NN&MT Vĩnh Long",
            findings="Nhãn ghi 4 sao, chưa cập nhật địa chỉ sau sắp xếp đơn vị hành chính.",
            result=PostCheckResult.REMEDY,
            recorded_by=officer,
        )
    due_notice_rows(today())
    demo.data.update(
        recertified=recert,
        expiring_certificate=expiring,
        revoked_certificate=revoked,
        suspended_certificate=suspended,
        expired_certificate=certificates[100],
    )
    demo.say(
        f"Certificates after 7/2022: {len(recert)} re-recognised in 2025, {expiring.number} expires "
        f"{expiring.valid_until:%d/%m/%Y}, {revoked.number} revoked, {suspended.number} suspended."
    )
