"""Demo: Bến Tre's OCOP plans for 2022 (KH 984/KH-UBND) and 2023, consultancy units, training
courses with attendees and support records. Idempotent; changes no certificate, so every figure as of
31/07/2022 stays as the registry step built it."""

import datetime
from decimal import Decimal

from ocop.core.demo import keyed
from ocop.core.permissions import SYSTEM

from . import domain
from .enums import Audience, FundingSource, Indicator, SupportKind
from .models import ConsultancyUnit, Plan, SupportRecord, TrainingCourse

PLANS = [
    (
        2022,
        "Kế hoạch thực hiện Chương trình OCOP tỉnh Bến Tre năm 2022",
        "984/KH-UBND",
        datetime.date(2022, 2, 24),
        {
            Indicator.NEW_PRODUCTS: 40,
            Indicator.FIVE_STAR_NOMINATIONS: 16,
            Indicator.COMMUNES_COVERED: 60,
            Indicator.SALE_POINTS: 10,
            Indicator.MODERN_CHANNEL_PRODUCTS: 60,
            Indicator.PRODUCERS_TRAINED: 54,
            Indicator.OFFICIALS_TRAINED: 20,
        },
    ),
    (
        2023,
        "Kế hoạch thực hiện Chương trình OCOP tỉnh Bến Tre năm 2023",
        "",
        datetime.date(2023, 2, 20),
        {
            Indicator.NEW_PRODUCTS: 45,
            Indicator.RECERTIFIED: 40,
            Indicator.UPGRADED: 30,
            Indicator.TOURISM_PRODUCTS: 2,
            Indicator.PRODUCERS_TRAINED: 54,
            Indicator.OFFICIALS_TRAINED: 20,
        },
    ),
]

CONSULTANCY = [
    (
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bến Tre",
        "Hồ sơ OCOP, đổi mới thiết bị, hỗ trợ tham gia hội chợ",
        "0275 3822 403",
    ),
    (
        "Công ty TNHH Thiết kế Bao bì Xứ Dừa",
        "Thiết kế bao bì, nhãn hàng, mã vạch, câu chuyện sản phẩm",
        "0275 3511 222",
    ),
]

COURSES = [
    (
        "Tập huấn Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP cho cán bộ các cấp",
        "Bộ tiêu chí OCOP (QĐ 1048/QĐ-TTg, QĐ 781/QĐ-TTg), quy trình đánh giá",
        Audience.OFFICIALS,
        datetime.date(2022, 4, 12),
        datetime.date(2022, 4, 13),
    ),
    (
        "Nâng cao năng lực chủ thể OCOP: quản trị, bao bì, truy xuất nguồn gốc",
        "Quản trị sản xuất, thiết kế bao bì, tem truy xuất, thương mại điện tử",
        Audience.PRODUCERS,
        datetime.date(2022, 6, 7),
        datetime.date(2022, 6, 9),
    ),
    (
        "Tập huấn Bộ tiêu chí mới (QĐ 148/QĐ-TTg) cho chủ thể và cán bộ",
        "Bộ tiêu chí OCOP 2023, hồ sơ điện tử, tự đánh giá",
        Audience.BOTH,
        datetime.date(2023, 5, 16),
        datetime.date(2023, 5, 17),
    ),
]

SUPPORT_KINDS = [
    (SupportKind.PACKAGING, Decimal(15_000_000), FundingSource.NTM),
    (SupportKind.BARCODE, Decimal(2_500_000), FundingSource.PROVINCE),
    (SupportKind.IP, Decimal(8_000_000), FundingSource.PROVINCE),
    (SupportKind.TRACEABILITY, Decimal(5_000_000), FundingSource.NTM),
    (SupportKind.GROWING_AREA, None, FundingSource.PROVINCE),
    (SupportKind.CONSULTANCY, None, FundingSource.EXTENSION),
    (SupportKind.EQUIPMENT, Decimal(120_000_000), FundingSource.EXTENSION),
    (SupportKind.CREDIT, Decimal(300_000_000), FundingSource.CREDIT),
]


def seed(demo):
    province = demo.province
    if province is None:
        return
    for year, title, reference, adopted_on, targets in PLANS:
        if not Plan.objects.filter(unit=province, year=year).exists():
            domain.create_plan(
                actor=SYSTEM,
                unit=province,
                year=year,
                title=title,
                reference=reference,
                adopted_on=adopted_on,
                targets={str(k): v for k, v in targets.items()},
            )
    units = []
    for name, services, phone in CONSULTANCY:
        units.append(
            keyed(
                f"programme.consultancy:{len(units) + 1}",
                ConsultancyUnit,
                find=lambda name=name: ConsultancyUnit.objects.filter(province=province, name=name).first(),
                create=lambda name=name, services=services, phone=phone: domain.create_consultancy_unit(
                    actor=SYSTEM, province=province, name=name, services=services, phone=phone
                ),
            )
        )
    producers = list(demo.data.get("producers") or [])
    officials = [demo.users[r] for r in ("province_officer", "commune_officer") if r in demo.users]
    for i, (title, topic, audience, starts_on, ends_on) in enumerate(COURSES):

        def new_course(
            i=i, title=title, topic=topic, audience=audience, starts_on=starts_on, ends_on=ends_on
        ):
            course = domain.create_course(
                actor=SYSTEM,
                province=province,
                title=title,
                topic=topic,
                audience=audience,
                starts_on=starts_on,
                ends_on=ends_on,
                trainer="Văn phòng Điều phối NTM tỉnh Bến Tre",
                location="Thành phố Bến Tre",
                consultancy_unit=units[0] if i else None,
            )
            if audience in (Audience.OFFICIALS, Audience.BOTH):
                for user in officials:
                    domain.add_attendee(course, actor=SYSTEM, user=user)
            if audience in (Audience.PRODUCERS, Audience.BOTH):
                chosen = producers[:38] if audience == Audience.PRODUCERS else producers[30:]
                for producer in chosen:
                    domain.add_attendee(course, actor=SYSTEM, producer=producer)
            return course

        keyed(
            f"programme.course:{i + 1}",
            TrainingCourse,
            find=lambda title=title: TrainingCourse.objects.filter(province=province, title=title).first(),
            create=new_course,
        )
    if producers and not SupportRecord.objects.filter(producer__in=producers).exists() and len(units) > 1:
        for i, producer in enumerate(producers[:24]):
            kind, amount, source = SUPPORT_KINDS[i % len(SUPPORT_KINDS)]
            domain.record_support(
                actor=SYSTEM,
                producer=producer,
                kind=kind,
                amount=amount,
                source=source,
                given_on=datetime.date(2022, 3 + i % 9, 1 + i % 27),
                consultancy_unit=units[1] if kind in (SupportKind.PACKAGING, SupportKind.BARCODE) else None,
                note="",
            )
    demo.say(
        f"Programme: {Plan.objects.filter(unit=province).count()} plans, "
        f"{TrainingCourse.objects.filter(province=province).count()} training courses, "
        f"{SupportRecord.objects.filter(producer__in=producers).count()} support records."
    )
