from decimal import Decimal

import pytest

from ocop.core.models import ActivityLog
from ocop.market.enums import SalePointKind, SalePointStatus
from ocop.market.models import OnlineListing, SalePoint
from tests.factories import ProductFactory, unit

pytestmark = pytest.mark.integration


@pytest.fixture
def sale_point(admin_units):
    return SalePoint.objects.create(
        name="Co.opmart Bến Tre",
        kind=SalePointKind.SUPERMARKET,
        address="26 Đồng Khởi",
        commune=unit("28762"),
        latitude=Decimal("10.24"),
        longitude=Decimal("106.37"),
    )


def test_sale_point_detail_scope(client_for, province_officer, other_province_officer, producer, sale_point):
    url = f"/office/market/sale-points/{sale_point.pk}/"
    statuses = [
        client_for(u).get(url).status_code for u in (province_officer, other_province_officer, producer)
    ]
    assert statuses == [200, 404, 404]


def test_create_sale_point_wrong_role_is_403(client_for, producer):
    assert client_for(producer).get("/office/market/sale-points/new/").status_code == 403


def test_approve_suggestion_through_the_page(client_for, province_officer, sale_point):
    SalePoint.objects.filter(pk=sale_point.pk).update(status=SalePointStatus.SUGGESTED)
    response = client_for(province_officer).post(
        f"/office/market/sale-points/{sale_point.pk}/status/", {"status": "active"}
    )
    sale_point.refresh_from_db()
    assert (response.status_code, sale_point.status) == (302, SalePointStatus.ACTIVE)
    assert ActivityLog.objects.filter(action="market.salepoint.active").count() == 1


def test_producer_suggests_through_the_page(client_for, producer, producer_org):
    product = ProductFactory(producer=producer_org)
    data = {
        "name": "Gian hàng chợ Ba Tri",
        "kind": "shop",
        "address": "45 đường 30/4",
        "commune": unit("29146").pk,
        "latitude": "10.04",
        "longitude": "106.59",
        "opening_hours": "6:30–19:00",
        "phone": "",
        "products": [product.pk],
    }
    response = client_for(producer).post("/office/market/sale-points/suggest/", data)
    sp = SalePoint.objects.get()
    assert (response.status_code, sp.status, sp.suggested_by, list(sp.products.all())) == (
        302,
        SalePointStatus.SUGGESTED,
        producer,
        [product],
    )


def test_listing_form_bad_url_shows_message(client_for, producer, producer_org):
    product = ProductFactory(producer=producer_org)
    response = client_for(producer).post(
        f"/office/market/products/{product.pk}/listings/",
        {"platform": "shopee", "url": "https://lazada.vn/x"},
    )
    assert (response.status_code, OnlineListing.objects.count()) == (400, 0)
    assert response.context["form"].errors["url"] == ["Đường dẫn Shopee phải thuộc shopee.vn."]


def test_listings_of_other_producers_product_is_404(client_for, producer):
    assert (
        client_for(producer).get(f"/office/market/products/{ProductFactory().pk}/listings/").status_code
        == 404
    )
