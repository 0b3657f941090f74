"""One address everywhere: today's commune and province, with the former address in smaller text."""

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.catalog.slugs import slug_for
from ocop.market.enums import SalePointKind
from ocop.market.models import SalePoint
from tests.factories import ProducerFactory, unit

from .helpers import certify

pytestmark = pytest.mark.integration

TODAY = "Số 5 Đồng Khởi, Phường Phú Khương, tỉnh Vĩnh Long"
FORMER = "trước đây: Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def product(admin_units):
    producer = ProducerFactory(commune=unit("28756"), address="Số 5 Đồng Khởi")
    return certify(producer=producer, name="Kẹo dừa Phú Khương")


def test_product_page_shows_today_address_and_former_one(product):
    html = Client().get(f"/products/{product.pk}/{slug_for(product.name)}/").content.decode()
    assert (TODAY in html, FORMER in html) == (True, True)


def test_verify_page_shows_the_same_address(product):
    number = product.certificates.get().number
    html = Client().get(f"/v/{number}").content.decode()
    assert (TODAY in html, FORMER in html) == (True, True)


def test_map_data_gives_the_same_address_for_a_sale_point(product):
    SalePoint.objects.create(
        name="Điểm bán OCOP Phú Khương",
        kind=SalePointKind.OCOP_POINT,
        address="Số 5 Đồng Khởi",
        commune=unit("28756"),
        latitude=10.24,
        longitude=106.37,
        status="active",
    )
    points = Client().get("/map/data.json").json()["points"]
    assert [(p["address"], p["former_address"]) for p in points] == [
        (TODAY, FORMER.removeprefix("trước đây: "))
    ]
