"""Two provinces built independently, with certificates in every state, so each figure can be
counted by hand. Bến Tre (legacy 83) and Tiền Giang (legacy 82); after 1/7/2025 Bến Tre is part of
Vĩnh Long (current 86) and Tiền Giang of Đồng Tháp (current 82)."""

import datetime
from dataclasses import dataclass, field

import pytest

from ocop.geo.models import AdminUnit
from ocop.registry.enums import ProducerKind
from tests.factories import CertificateFactory, ProducerFactory, ProductFactory, unit

AS_OF = datetime.date(2022, 7, 31)

# The `world`'s producers in Bến Tre with a certificate in force on AS_OF, by kind (every kind listed).
WORLD_PRODUCER_TYPES = {
    "cooperative": 1,
    "coop_group": 0,
    "enterprise": 1,
    "farm": 0,
    "production_household": 0,
    "household": 1,
    "association": 0,
    "tourism_centre": 0,
}


@dataclass
class World:
    products: dict = field(default_factory=dict)
    producers: dict = field(default_factory=dict)
    certs: dict = field(default_factory=dict)


def cert(product, star, issued, *, potential=False, expires=None, **kwargs):
    return CertificateFactory(
        product=product,
        star=star,
        potential_5_star=potential,
        issued_on=issued,
        decision_date=issued,
        expires_on=expires or issued.replace(year=issued.year + 3),
        **kwargs,
    )


@pytest.fixture
def world(admin_units):
    """Bến Tre: 3 producers in 2 communes (28756 Phú Khương ward, 28855 a commune of Châu Thành);
    Tiền Giang: 1 producer. Certificates valid on 31/07/2022 unless said otherwise."""
    w = World()
    phu_khuong, other = (
        unit("28756"),
        AdminUnit.objects.filter(map="legacy", level="commune", province__code="83")
        .exclude(code="28756")
        .order_by("code")
        .first(),
    )
    w.producers["coop"] = ProducerFactory(kind=ProducerKind.COOPERATIVE, commune=phu_khuong)
    w.producers["firm"] = ProducerFactory(kind=ProducerKind.SME, commune=phu_khuong)
    w.producers["house"] = ProducerFactory(kind=ProducerKind.HOUSEHOLD, commune=other)
    w.producers["tg"] = ProducerFactory(kind=ProducerKind.COOPERATIVE, commune=unit("28249"))
    p = w.products
    p["candy"] = ProductFactory(producer=w.producers["coop"], name="Kẹo dừa sữa", product_set=7)
    p["wine"] = ProductFactory(producer=w.producers["coop"], name="Rượu dừa", product_set=15)
    p["sauce"] = ProductFactory(producer=w.producers["firm"], name="Nước mắm", product_set=9)
    p["tea"] = ProductFactory(producer=w.producers["house"], name="Trà mãng cầu", product_set=12)
    p["expired"] = ProductFactory(producer=w.producers["house"], name="Bánh phồng", product_set=6)
    p["revoked"] = ProductFactory(producer=w.producers["firm"], name="Mật hoa dừa", product_set=4)
    p["tg"] = ProductFactory(producer=w.producers["tg"], name="Xoài cát Hòa Lộc", product_set=1)
    c = w.certs
    c["candy"] = cert(p["candy"], 3, datetime.date(2020, 6, 30))
    c["wine"] = cert(p["wine"], 4, datetime.date(2021, 6, 28), potential=True)
    # sauce: 3★ in 2019, upgraded to 4★ on 2022-06-20 (the 3★ is superseded that day)
    c["sauce_old"] = cert(
        p["sauce"], 3, datetime.date(2019, 12, 27), superseded_on=datetime.date(2022, 6, 20)
    )
    c["sauce"] = cert(p["sauce"], 4, datetime.date(2022, 6, 20), kind="upgrade")
    c["tea"] = cert(p["tea"], 3, datetime.date(2022, 3, 1))
    c["expired"] = cert(p["expired"], 3, datetime.date(2019, 5, 1), expires=datetime.date(2022, 5, 1))
    c["revoked"] = cert(p["revoked"], 4, datetime.date(2021, 1, 5), revoked_on=datetime.date(2022, 7, 1))
    c["tg"] = cert(p["tg"], 5, datetime.date(2021, 12, 1))
    # Later history, for questions asked after the 1/7/2025 reform.
    c["candy_2023"] = cert(p["candy"], 3, datetime.date(2023, 6, 30), kind="reevaluation")
    c["tg_2024"] = cert(p["tg"], 5, datetime.date(2024, 12, 1), kind="reevaluation")
    w.other_commune = other
    return w


# Evaluation fixtures for the dashboard pipeline tests.
from tests.evaluation.conftest import demo_set, draft, round_  # noqa: E402, F401


@pytest.fixture(name="product")
def evaluation_product(producer_org):
    from tests.factories import ProductFactory

    return ProductFactory(producer=producer_org, name="Kẹo dừa Bến Tre")
