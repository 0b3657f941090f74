"""Public market API: sale points, fairs (with the products shown) and tourism routes."""

import pytest

from ocop.core.dates import today
from ocop.market import domain
from ocop.market.enums import SalePointKind
from ocop.market.models import SalePoint
from tests.factories import ProductFactory, unit
from tests.market.helpers import coconut_fair

pytestmark = pytest.mark.integration


@pytest.fixture
def points(admin_units):
    coop = SalePoint.objects.create(
        name="Điểm OCOP Bến Tre", kind=SalePointKind.OCOP_POINT, address="1 Hùng Vương", commune=unit("28756")
    )
    site = SalePoint.objects.create(
        name="Cồn Phụng", kind=SalePointKind.TOURISM_SITE, address="Ấp 10", commune=unit("28762")
    )
    return coop, site


def test_tourism_routes_list_published_routes_with_stops_and_products(client, vinh_long_officer, points):
    coop, site = points
    candy = ProductFactory(name="Kẹo dừa sáp")
    site.products.add(candy)
    route = domain.create_route(
        actor=vinh_long_officer,
        name="Về miền dừa",
        duration="1 ngày",
        province=unit("83"),
        stops=[site, coop],
    )
    domain.create_route(
        actor=vinh_long_officer, name="Nháp", province=unit("83"), published=False, stops=[coop]
    )

    data = client.get("/api/v1/tourism-routes").json()

    assert data == [
        {
            "id": route.pk,
            "name": "Về miền dừa",
            "duration": "1 ngày",
            "description": "",
            "province": {"code": "83", "name": unit("83").name},
            "stops": [
                {
                    "position": 1,
                    "sale_point": site.pk,
                    "name": "Cồn Phụng",
                    "kind": "tourism_site",
                    "products": [candy.pk],
                },
                {
                    "position": 2,
                    "sale_point": coop.pk,
                    "name": "Điểm OCOP Bến Tre",
                    "kind": "ocop_point",
                    "products": [],
                },
            ],
        }
    ]


def test_fairs_carry_the_products_shown(client, vinh_long_officer, producer_org, ben_tre):
    fair = coconut_fair(vinh_long_officer, ben_tre, starts_on=today(), ends_on=today())
    own = ProductFactory(producer=producer_org)
    domain.add_fair_participant(fair, actor=vinh_long_officer, producer=producer_org, products=[own])

    (item,) = client.get("/api/v1/fairs").json()

    assert (item["id"], item["participants"], item["products"]) == (fair.pk, 1, [own.pk])


def test_sale_points_bad_kind_is_422_with_a_message(client, points):
    response = client.get("/api/v1/sale-points?kind=casino")

    assert response.status_code == 422
    assert "kind must be one of" in response.json()["message"]
