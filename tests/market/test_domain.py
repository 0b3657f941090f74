import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.market import domain
from ocop.market.enums import ListingCheck, Platform, SalePointKind, SalePointStatus
from ocop.market.models import Fair, OnlineListing, SalePoint
from ocop.market.validators import clean_listing_url
from tests.factories import ProductFactory, unit

from .helpers import fair_with_participant

pytestmark = pytest.mark.integration


def point_values(**extra):
    values = {
        "name": "Điểm giới thiệu và bán sản phẩm OCOP Bến Tre",
        "kind": SalePointKind.OCOP_POINT,
        "address": "Số 2 Đại lộ Đồng Khởi",
        "commune": unit("28777"),
        "latitude": Decimal("10.241190"),
        "longitude": Decimal("106.375360"),
        "opening_hours": "7:00–21:00",
    }
    return values | extra


def test_create_sale_point_by_province_officer_logs_once(vinh_long_officer, producer_org):
    product = ProductFactory(producer=producer_org)
    sp = domain.create_sale_point(
        actor=vinh_long_officer, products=[product], criteria=["location", "price_listed"], **point_values()
    )
    sp.refresh_from_db()
    assert (sp.status, sp.criteria, list(sp.products.all())) == (
        SalePointStatus.ACTIVE,
        ["location", "price_listed"],
        [product],
    )
    assert sp.legacy_commune == unit("28777")
    logs = list(
        ActivityLog.objects.filter(action="market.salepoint.created").values_list("actor", "object_id")
    )
    assert logs == [(vinh_long_officer.pk, str(sp.pk))]


def test_create_sale_point_outside_province_is_refused(vinh_long_officer):
    with pytest.raises(DomainError) as exc:
        domain.create_sale_point(actor=vinh_long_officer, **point_values(commune=unit("28249")))
    assert exc.value.code == "out_of_scope"
    assert SalePoint.objects.count() == 0


def test_create_sale_point_by_producer_is_forbidden(producer):
    with pytest.raises(PermissionDenied):
        domain.create_sale_point(actor=producer, **point_values())


def test_create_sale_point_with_coordinates_outside_vietnam_fails(vinh_long_officer):
    with pytest.raises(ValidationError) as exc:
        domain.create_sale_point(actor=vinh_long_officer, **point_values(latitude=Decimal("48.85")))
    assert list(exc.value.message_dict) == ["latitude"]


def test_create_sale_point_with_unknown_criterion_fails(vinh_long_officer):
    with pytest.raises(DomainError):
        domain.create_sale_point(actor=vinh_long_officer, criteria=["made_up"], **point_values())


def test_suggestion_then_approval(producer, vinh_long_officer, producer_org):
    product = ProductFactory(producer=producer_org)
    sp = domain.suggest_sale_point(actor=producer, products=[product], **point_values(name="Gian hàng chợ"))
    assert (sp.status, sp.suggested_by) == (SalePointStatus.SUGGESTED, producer)
    domain.change_sale_point_status(sp, SalePointStatus.ACTIVE, actor=vinh_long_officer, note="Đạt")
    sp.refresh_from_db()
    assert sp.status == SalePointStatus.ACTIVE
    actions = list(
        ActivityLog.objects.filter(object_id=str(sp.pk)).order_by("id").values_list("action", "data")
    )
    assert actions == [
        (
            "market.salepoint.suggested",
            {"name": "Gian hàng chợ", "producer": producer_org.pk, "products": [product.pk]},
        ),
        ("market.salepoint.active", {"from": "suggested", "to": "active", "note": "Đạt"}),
    ]


def test_suggestion_with_another_producers_product_is_refused(producer):
    foreign = ProductFactory()
    with pytest.raises(DomainError) as exc:
        domain.suggest_sale_point(actor=producer, products=[foreign], **point_values())
    assert exc.value.code == "not_own_product"


def test_reject_needs_a_reason_and_changes_nothing(producer, vinh_long_officer):
    sp = domain.suggest_sale_point(actor=producer, **point_values())
    with pytest.raises(DomainError):
        domain.change_sale_point_status(sp, SalePointStatus.REJECTED, actor=vinh_long_officer, note=" ")
    sp.refresh_from_db()
    assert sp.status == SalePointStatus.SUGGESTED


def test_rejected_cannot_be_activated(producer, vinh_long_officer):
    sp = domain.suggest_sale_point(actor=producer, **point_values())
    domain.change_sale_point_status(sp, SalePointStatus.REJECTED, actor=vinh_long_officer, note="Sai địa chỉ")
    with pytest.raises(InvalidTransition):
        domain.change_sale_point_status(sp, SalePointStatus.ACTIVE, actor=vinh_long_officer)


def test_other_province_officer_cannot_review(producer, other_province_officer):
    sp = domain.suggest_sale_point(actor=producer, **point_values())
    with pytest.raises(PermissionDenied):
        domain.change_sale_point_status(sp, SalePointStatus.ACTIVE, actor=other_province_officer)


@pytest.mark.parametrize(
    ("platform", "url", "code"),
    [
        (Platform.SHOPEE, "https://www.lazada.vn/products/x", "host"),
        (Platform.SHOPEE, "http://shopee.vn/keo-dua", "https"),
        (Platform.OWN_SITE, "http://192.168.1.10/shop", "ip"),
        (Platform.OWN_SITE, "https://localhost/shop", "private"),
        (Platform.SHOPEE, "https://user:pw@shopee.vn/x", "credentials"),
        (Platform.SHOPEE, "shopee keo dua", "url"),
        (Platform.SHOPEE, "", "required"),
        ("ebay", "https://ebay.com/x", "platform"),
    ],
)
def test_listing_url_validation_refuses(platform, url, code):
    with pytest.raises(ValidationError) as exc:
        clean_listing_url(platform, url)
    assert exc.value.code == code


def test_listing_url_accepts_subdomains_and_own_site():
    assert (
        clean_listing_url(Platform.TIKTOK, " https://shop.tiktok.com/view/product/1 ")
        == "https://shop.tiktok.com/view/product/1"
    )
    assert (
        clean_listing_url(Platform.PROVINCE_TRADE, "https://sct.bentre.gov.vn/ocop/1")
        == "https://sct.bentre.gov.vn/ocop/1"
    )


def test_producer_adds_and_checks_own_listing(producer, producer_org):
    product = ProductFactory(producer=producer_org)
    listing = domain.add_listing(
        product, actor=producer, platform=Platform.POSTMART, url="https://postmart.vn/p/1"
    )
    domain.record_listing_check(listing, actor=producer, working=False, checked_on=datetime.date(2026, 1, 5))
    listing.refresh_from_db()
    assert (listing.check_result, listing.last_checked_on) == (ListingCheck.BROKEN, datetime.date(2026, 1, 5))
    with pytest.raises(DomainError) as exc:
        domain.add_listing(product, actor=producer, platform=Platform.POSTMART, url="https://postmart.vn/p/1")
    assert exc.value.code == "duplicate"


def test_producer_cannot_list_another_producers_product(producer):
    with pytest.raises(PermissionDenied):
        domain.add_listing(ProductFactory(), actor=producer, platform=Platform.VOSO, url="https://voso.vn/x")
    assert OnlineListing.objects.count() == 0


def test_fair_results_only_after_the_event(vinh_long_officer, producer_org, ben_tre):
    fair, participant = fair_with_participant(vinh_long_officer, ben_tre, producer_org)
    with pytest.raises(DomainError) as exc:
        domain.record_fair_results(
            participant, actor=vinh_long_officer, contracts_count=1, contracts_value=1, sales_value=1
        )
    assert exc.value.code == "not_ended"
    Fair.objects.filter(pk=fair.pk).update(
        starts_on=datetime.date(2022, 7, 20), ends_on=datetime.date(2022, 7, 26)
    )
    participant.refresh_from_db()
    domain.record_fair_results(
        participant,
        actor=vinh_long_officer,
        contracts_count=2,
        contracts_value=300_000_000,
        sales_value=45_000_000,
    )
    participant.refresh_from_db()
    assert (participant.contracts_count, participant.contracts_value, participant.sales_value) == (
        2,
        300_000_000,
        45_000_000,
    )


def test_fair_of_another_province_is_refused(other_province_officer, ben_tre):
    with pytest.raises(DomainError) as exc:
        domain.create_fair(
            actor=other_province_officer,
            name="X",
            starts_on=today(),
            ends_on=today(),
            place="P",
            organiser="O",
            province=ben_tre,
        )
    assert exc.value.status == 403
    assert Fair.objects.count() == 0


def _site(name, status=SalePointStatus.ACTIVE):
    return SalePoint.objects.create(
        name=name, kind=SalePointKind.TOURISM_SITE, address="Ấp 10", commune=unit("28762"), status=status
    )


def test_update_route_changes_text_and_stops_in_order(vinh_long_officer):
    first, second = _site("Cồn Phụng"), _site("Làng nghề kẹo dừa")
    route = domain.create_route(
        actor=vinh_long_officer, name="Về miền dừa", province=unit("83"), stops=[first]
    )
    domain.update_route(route, actor=vinh_long_officer, description="Một ngày", stops=[second, first])
    route.refresh_from_db()
    assert route.description == "Một ngày"
    assert list(route.stops.order_by("position").values_list("sale_point_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    log = ActivityLog.objects.get(action="market.route.updated", object_id=str(route.pk))
    assert (log.actor, log.data) == (
        vinh_long_officer,
        {
            "from": {"description": "", "stops": [first.pk]},
            "to": {"description": "Một ngày", "stops": [second.pk, first.pk]},
        },
    )


def test_update_route_refused_changes_nothing(vinh_long_officer, other_province_officer):
    first = _site("Cồn Phụng")
    closed = _site("Điểm đã đóng", status=SalePointStatus.CLOSED)
    route = domain.create_route(
        actor=vinh_long_officer, name="Về miền dừa", province=unit("83"), stops=[first]
    )
    with pytest.raises(PermissionDenied):
        domain.update_route(route, actor=other_province_officer, name="Tuyến của tỉnh khác")
    with pytest.raises(DomainError):
        domain.update_route(route, actor=vinh_long_officer, name="Tuyến mới", stops=[closed])
    route.refresh_from_db()
    assert route.name == "Về miền dừa"
    assert list(route.stops.values_list("sale_point_id", flat=True)) == [first.pk]
    assert not ActivityLog.objects.filter(action="market.route.updated").exists()
