"""Demo step: the province's story from the merger to today (December 2026).

Since 1/7/2025 Bến Tre is part of Vĩnh Long (86). Vĩnh Long's office re-recognised the Bến Tre
products whose certificates ran out (decisions of UBND tỉnh Vĩnh Long from August 2025, potential 5★
kept), recognised new products in 2026, and opened its second 2026 round under the criteria in force
(QD26-2026, QĐ 26/2026/QĐ-TTg). Everything is
dated after 31/07/2022, so Bến Tre's July 2022 figures stay exact. Idempotent: each item is keyed in
`DemoRecord` (a certificate by its decision number), so edits made since are never undone or doubled."""

import datetime
from decimal import Decimal

from ocop.certificates.domain import issue_certificate
from ocop.certificates.enums import CertificateKind, CertificateSource
from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.demo import keyed
from ocop.core.permissions import SYSTEM
from ocop.criteria.domain import publish_set
from ocop.criteria.models import CriteriaSet
from ocop.geo.enums import Level, MapVersion
from ocop.geo.models import AdminUnit
from ocop.registry.models import Product

from . import domain
from .enums import Body, Position
from .models import Dossier, Round

CRITERIA_IN_FORCE = "QD26-2026"  # QĐ 26/2026/QĐ-TTg (22/5/2026)
ROUND_NAME = "Đợt 2 năm 2026 – tỉnh Vĩnh Long"
MERGER_RENEWAL_START = datetime.date(2025, 8, 15)  # the first Vĩnh Long decisions after the merger
NEW_2026 = [  # (index of an existing demo producer, product name, product set, star, issued on)
    (0, "Kẹo dừa sữa non ít đường", 7, 4, datetime.date(2026, 3, 18)),
    (10, "Nước cốt mật hoa dừa", 4, 3, datetime.date(2026, 3, 18)),
    (26, "Sô cô la dừa hạt điều", 13, 4, datetime.date(2026, 9, 25)),
]


def _renewal_day(n):
    """Spread the re-recognitions over ten decisions, August 2025 to November 2026."""
    step = n % 10
    return MERGER_RENEWAL_START + datetime.timedelta(days=48 * step)


def _vinh_long():
    return AdminUnit.objects.get(map=MapVersion.CURRENT, level=Level.PROVINCE, code="86")


def _certify(key, product, *, star, potential, issued_on, kind, score, unit):
    decision = f"{key}/QĐ-UBND"

    def create():
        return issue_certificate(
            product,
            actor=SYSTEM,
            star=star,
            potential_5_star=potential,
            score=Decimal(score),
            kind=kind,
            decision_number=decision,
            decision_date=issued_on,
            issuer_name="",  # the authority in force on the date: UBND tỉnh Vĩnh Long
            issuer_unit=unit,
            source=CertificateSource.DECISION,
            criteria_set="QD148-2023",
        )

    return keyed(
        f"certificates.certificate:{decision}",
        Certificate,
        find=lambda: Certificate.objects.filter(product=product, decision_number=decision).first(),
        create=create,
    )


def _renewals(demo, unit):
    """Bến Tre products whose certificate ran out after the merger, re-recognised by Vĩnh Long."""
    products = demo.data.get("products") or []
    skip = {45, 70, 100}  # revoked, about to expire, left expired on purpose (certificates step)
    renewed = []
    for n, product in enumerate(products):
        if product is None or n in skip or n < 40:
            continue  # the first 40 were re-recognised in 2025 before the merger
        first = demo.data["certificates"][n]
        if first is None:
            continue
        issued_on = min(_renewal_day(n), today())
        score = {3: "63.0", 4: "80.5"}[first.star] if not first.potential_5_star else "91.5"
        renewed.append(
            _certify(
                f"{3000 + n}",
                product,
                star=first.star,
                potential=first.potential_5_star,
                issued_on=issued_on,
                kind=CertificateKind.REEVALUATION,
                score=score,
                unit=unit,
            )
        )
    return [c for c in renewed if c is not None]


def _new_products(demo, unit):
    producers = demo.data.get("producers") or []
    made = []
    for n, (producer_index, name, product_set, star, issued_on) in enumerate(NEW_2026):
        if producer_index >= len(producers):
            continue
        producer = producers[producer_index]
        product = keyed(
            f"registry.product:2026-{n + 1}",
            Product,
            find=lambda producer=producer, name=name: Product.objects.filter(
                producer=producer, name=name
            ).first(),
            create=lambda producer=producer, name=name, product_set=product_set: Product.objects.create(
                producer=producer,
                name=name,
                product_set=product_set,
                description=f"{name} – sản phẩm OCOP mới năm 2026 của {producer.name}.",
                packaging="Hộp 200 g",
            ),
        )
        if product is not None:
            made.append(
                _certify(
                    f"{4100 + n}",
                    product,
                    star=star,
                    potential=False,
                    issued_on=issued_on,
                    kind=CertificateKind.NEW,
                    score="76.0" if star == 4 else "64.5",
                    unit=unit,
                )
            )
    return made


def _criteria_in_force():
    criteria_set = CriteriaSet.objects.filter(code=CRITERIA_IN_FORCE).first()
    if criteria_set is not None and not criteria_set.is_published:
        criteria_set = publish_set(criteria_set, actor=SYSTEM)
    return criteria_set


def _open_round(demo, unit):
    """Vĩnh Long's open round (dates from today, so it stays open whenever the demo is built)."""
    criteria_set = _criteria_in_force()
    if criteria_set is None:
        return None
    day = today()

    def create():
        round_ = domain.create_round(
            actor=SYSTEM,
            province=unit,
            name=ROUND_NAME,
            year=day.year,
            criteria_set=criteria_set,
            submission_deadline=day + datetime.timedelta(days=16),
            review_deadline=day + datetime.timedelta(days=21),
            council_date=day + datetime.timedelta(days=26),
            schedule_note=(
                "Đợt bổ sung cuối năm sau khi hợp nhất tỉnh: UBND cấp xã gửi hồ sơ muộn hơn mốc 30/10 "
                "tại Điều 5 khoản 1 QĐ 26/2026 (dữ liệu minh họa)."
            ),
        )
        council = [demo.users.get(k) for k in ("council_member", "council_member_2", "council_member_3")]
        positions = (Position.CHAIR, Position.VICE_CHAIR, Position.MEMBER)
        for user, position in zip(council, positions, strict=True):
            if user is not None:
                domain.add_member(
                    round_, user, actor=SYSTEM, body=Body.COUNCIL, position=position, department="Sở NN&MT"
                )
        if demo.users.get("advisory_member") is not None:
            domain.add_member(
                round_,
                demo.users["advisory_member"],
                actor=SYSTEM,
                body=Body.ADVISORY,
                department="Sở Công Thương",
            )
        producer_user = demo.users.get("producer")
        if producer_user is not None and producer_user.producer is not None:
            product = producer_user.producer.products.order_by("pk").first()
            if product is not None and product.product_set in set(
                criteria_set.rubrics.values_list("product_set", flat=True)
            ):
                domain.open_dossier(actor=producer_user, round_=round_, product=product, kind="upgrade")
        return round_

    return keyed(
        "evaluation.round:2026-2",
        Round,
        find=lambda: Round.objects.filter(name=ROUND_NAME).first(),
        create=create,
    )


def seed(demo):
    if not demo.data.get("products"):
        return
    unit = _vinh_long()
    renewed = _renewals(demo, unit)
    new = _new_products(demo, unit)
    round_ = _open_round(demo, unit)
    valid = Certificate.objects.valid_on(today()).filter(product__producer__current_commune__province=unit)
    dossiers = Dossier.objects.filter(round=round_).count() if round_ else 0
    demo.say(
        f"Vĩnh Long (86) since 1/7/2025: {len(renewed)} Bến Tre products re-recognised, {len(new)} new in "
        f"2026; {valid.count()} certificates valid today ({valid.filter(potential_5_star=True).count()} "
        f"potential 5★); open round “{ROUND_NAME}” ({round_.criteria_set.code if round_ else '—'}, "
        f"{dossiers} dossier)."
    )
