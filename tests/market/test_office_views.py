import pytest

from ocop.core.dates import today
from ocop.core.locking import token_of
from ocop.core.models import ActivityLog
from ocop.market import domain
from ocop.market.enums import SalePointKind, SalePointStatus
from ocop.market.models import OnlineListing, SalePoint, TourismRoute
from ocop.market.rules import may_set_status
from tests.factories import ProductFactory, unit

from .helpers import coconut_fair

pytestmark = pytest.mark.integration


def test_sale_point_detail_scope(client_for, vinh_long_officer, other_province_officer, producer, sale_point):
    url = f"/office/market/sale-points/{sale_point.pk}/"
    statuses = [
        client_for(u).get(url).status_code for u in (vinh_long_officer, other_province_officer, producer)
    ]
    assert statuses == [200, 404, 404]


def test_create_sale_point_wrong_role_is_403(client_for, producer):
    assert client_for(producer).get("/office/market/sale-points/new/").status_code == 403


def test_approve_suggestion_through_the_page(client_for, vinh_long_officer, sale_point):
    SalePoint.objects.filter(pk=sale_point.pk).update(status=SalePointStatus.SUGGESTED)
    response = client_for(vinh_long_officer).post(
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


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_suggest_page_without_a_producer_is_403_with_message(client_for, vinh_long_officer, who):
    """#14: an account without a producer (an administrator passes every permission) got a 500."""
    from tests.factories import UserFactory

    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if who == "admin"
        else vinh_long_officer
    )
    client = client_for(user)
    responses = [
        client.get("/office/market/sale-points/suggest/"),
        client.post("/office/market/sale-points/suggest/"),
    ]
    expected = "Chỉ tài khoản của chủ thể" if who == "admin" else ""
    assert [(r.status_code, expected in r.content.decode()) for r in responses] == [(403, True), (403, True)]
    assert SalePoint.objects.count() == 0


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


@pytest.fixture
def second_point(admin_units):
    return SalePoint.objects.create(
        name="Khu du lịch Cồn Phụng",
        kind=SalePointKind.TOURISM_SITE,
        address="Ấp 10, Tân Thạch",
        commune=unit("28762"),
    )


def _route_post(*stops, name="Về miền dừa", **extra):
    data = {
        **extra,
        "name": name,
        "duration": "1 ngày",
        "description": "Thuyền trên sông Hàm Luông",
        "published": "on",
    }
    data.update({f"stop_{n}": s.pk for n, s in enumerate(stops, start=1)})
    return data


def test_route_created_through_the_page_with_its_stops_and_products(
    client_for, vinh_long_officer, other_province_officer, producer, sale_point, second_point
):
    product = ProductFactory(name="Kẹo dừa sáp")
    sale_point.products.add(product)
    client = client_for(vinh_long_officer)

    response = client.post("/office/market/routes/new/", _route_post(second_point, sale_point))

    route = TourismRoute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/office/market/routes/{route.pk}/"
    assert list(route.stops.values_list("sale_point__name", flat=True)) == [
        second_point.name,
        sale_point.name,
    ]
    page = client.get(response["Location"]).content.decode()
    assert page.index(second_point.name) < page.index(sale_point.name) and "Kẹo dừa sáp" in page
    assert ActivityLog.objects.filter(action="market.route.created").count() == 1
    assert route.name in client.get("/office/market/routes/").content.decode()
    assert client_for(other_province_officer).get(response["Location"]).status_code == 404
    assert client_for(producer).get("/office/market/routes/").status_code == 403
    assert client_for(producer).post("/office/market/routes/new/", _route_post(sale_point)).status_code == 403


@pytest.mark.parametrize("stops", ["same_twice", "none"])
def test_route_form_refuses_bad_stops_and_saves_nothing(client_for, vinh_long_officer, sale_point, stops):
    chosen = (sale_point, sale_point) if stops == "same_twice" else ()
    response = client_for(vinh_long_officer).post("/office/market/routes/new/", _route_post(*chosen))

    assert response.status_code == 200
    text = response.content.decode()
    assert (
        ("chỉ được là một điểm dừng" in text) if stops == "same_twice" else ("Trường này là bắt buộc" in text)
    )
    assert TourismRoute.objects.count() == 0


def test_fair_participant_products_chosen_on_the_page(
    client_for, vinh_long_officer, other_province_officer, producer_org, ben_tre
):
    fair = coconut_fair(vinh_long_officer, ben_tre, starts_on=today(), ends_on=today())
    participant = domain.add_fair_participant(fair, actor=vinh_long_officer, producer=producer_org)
    own, other = ProductFactory(producer=producer_org, name="Kẹo dừa sữa"), ProductFactory(name="Bánh phồng")
    url = f"/office/market/fairs/{fair.pk}/products/{participant.pk}/"
    client = client_for(vinh_long_officer)

    assert "Kẹo dừa sữa" in client.get(f"/office/market/fairs/{fair.pk}/").content.decode()
    ok = client.post(url, {"products": [own.pk], "lock_token": token_of(participant)})
    participant.refresh_from_db()
    refused = client.post(
        url, {"products": [own.pk, other.pk], "lock_token": token_of(participant)}, follow=True
    )

    assert ok.status_code == 302
    assert list(participant.products.all()) == [own]
    assert "Mọi sản phẩm phải thuộc chủ thể tham gia" in refused.content.decode()
    assert ActivityLog.objects.filter(action="market.fair.participant_products").count() == 1
    assert client_for(other_province_officer).post(url, {"products": []}).status_code == 404
    assert list(participant.products.all()) == [own]


def test_route_edited_through_the_page(
    client_for, vinh_long_officer, other_province_officer, sale_point, second_point
):
    route = domain.create_route(
        actor=vinh_long_officer, name="Về miền dừa", province=unit("83"), stops=[sale_point]
    )
    url = f"/office/market/routes/{route.pk}/edit/"
    client = client_for(vinh_long_officer)

    form_page = client.get(url).content.decode()
    response = client.post(
        url, _route_post(second_point, sale_point, name="Xứ Dừa hai ngày", lock_token=token_of(route))
    )

    route.refresh_from_db()
    assert f'<option value="{sale_point.pk}" selected>' in form_page
    assert response.status_code == 302
    assert route.name == "Xứ Dừa hai ngày"
    assert list(route.stops.values_list("sale_point_id", flat=True)) == [second_point.pk, sale_point.pk]
    log = ActivityLog.objects.get(action="market.route.updated")
    assert (log.data["from"]["stops"], log.data["to"]["stops"]) == (
        [sale_point.pk],
        [second_point.pk, sale_point.pk],
    )
    assert client_for(other_province_officer).post(url, _route_post(sale_point)).status_code == 404
    assert list(route.stops.values_list("sale_point_id", flat=True)) == [second_point.pk, sale_point.pk]


def test_sale_point_page_offers_the_moves_of_the_transition_table(
    client_for, vinh_long_officer, producer, sale_point
):
    """`market.rules.may_set_status` (table and role), read by the page as `can_*`."""
    url = f"/office/market/sale-points/{sale_point.pk}/"

    def flags(user):
        context = client_for(user).get(url).context
        return (context["can_activate"], context["can_reject"], context["can_close"])

    assert flags(vinh_long_officer) == (False, False, True)  # active: only closing
    assert (may_set_status(producer, sale_point, SalePointStatus.CLOSED)) is False  # wrong role
    domain.change_sale_point_status(sale_point, SalePointStatus.CLOSED, actor=vinh_long_officer)
    sale_point.refresh_from_db()
    assert flags(vinh_long_officer) == (True, False, False)  # closed: reopen
    assert "Mở lại" in client_for(vinh_long_officer).get(url).content.decode()
    assert may_set_status(vinh_long_officer, sale_point, SalePointStatus.REJECTED) is False  # wrong state
