import datetime

import pytest
from django.db import connection

from ocop.catalog.search import Filters, fuzzy_fallback, parse_filters, search
from ocop.certificates.domain import revoke_certificate
from ocop.certificates.enums import RevocationGround
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.market.domain import add_listing, create_sale_point
from ocop.market.enums import Platform, SalePointKind
from ocop.registry.enums import ProducerKind
from tests.factories import CertificateFactory, ProducerFactory, ProductFactory, unit

from .helpers import certify

pytestmark = pytest.mark.integration


def names(f):
    return [p.name for p in search(f, today())]


@pytest.fixture
def catalogue(admin_units):
    return {
        "keo": certify(name="Kẹo dừa sữa", star=4),
        "banh": certify(name="Bánh tráng Mỹ Lồng", star=3),
        "mam": certify(name="Mắm tép Ba Tri", star=3, producer=ProducerFactory(kind=ProducerKind.HOUSEHOLD)),
    }


@pytest.mark.parametrize("query", ["keo dua", "Kẹo Dừa", "dua keo", "KEO", "sữa dừa"])
def test_search_ignores_diacritics_case_and_order(catalogue, query):
    assert names(Filters(q=query)) == ["Kẹo dừa sữa"]


def test_search_without_certificate_in_force_finds_nothing(catalogue):
    expired = ProductFactory(name="Kẹo dừa cũ")
    CertificateFactory(product=expired)  # 2022-2025: expired
    assert names(Filters(q="keo dua")) == ["Kẹo dừa sữa"]


def test_search_filters_star_and_kind(catalogue):
    assert names(Filters(star="3", sort="name")) == ["Bánh tráng Mỹ Lồng", "Mắm tép Ba Tri"]
    assert names(Filters(star="3", kind=ProducerKind.HOUSEHOLD)) == ["Mắm tép Ba Tri"]


def test_search_filters_channel(catalogue):
    create_sale_point(
        actor=SYSTEM,
        products=[catalogue["banh"]],
        name="Co.opmart",
        kind=SalePointKind.SUPERMARKET,
        address="26 Đồng Khởi",
        commune=unit("28762"),
    )
    add_listing(catalogue["mam"], actor=SYSTEM, platform=Platform.SHOPEE, url="https://shopee.vn/mam")
    assert names(Filters(channel="supermarket")) == ["Bánh tráng Mỹ Lồng"]
    assert names(Filters(channel="online")) == ["Mắm tép Ba Tri"]


def test_search_filters_province_on_todays_map(catalogue):
    # Bến Tre's communes belong to Vĩnh Long (86) on the current map.
    assert names(Filters(province="86", sort="name")) == [
        "Bánh tráng Mỹ Lồng",
        "Kẹo dừa sữa",
        "Mắm tép Ba Tri",
    ]
    assert names(Filters(province="83")) == []


def test_sort_by_star_then_name(catalogue):
    assert names(Filters(sort="star")) == ["Kẹo dừa sữa", "Bánh tráng Mỹ Lồng", "Mắm tép Ba Tri"]


def test_parse_filters_drops_bad_values():
    f = parse_filters({"star": "9", "group": "x", "province": "8'3", "q": " keo ", "sort": "name"})
    assert (f.star, f.group, f.province, f.q, f.sort, f.errors) == (
        "",
        "",
        "",
        "keo",
        "name",
        ["star", "group", "province"],
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search is PostgreSQL only")
def test_search_tolerates_typos_on_postgresql(catalogue):
    assert names(Filters(q="keo duaa")) == []
    assert [p.name for p in fuzzy_fallback(Filters(q="keo duaa"), today())] == ["Kẹo dừa sữa"]


def test_revoked_certificate_hides_the_product(catalogue):
    revoke_certificate(
        catalogue["keo"].certificates.get(),
        actor=SYSTEM,
        ground=RevocationGround.CRITERIA_NOT_MET,
        decision_number="12/QĐ-UBND",
        concluded_on=today() - datetime.timedelta(days=1),
        revoked_on=today() - datetime.timedelta(days=1),
    )
    assert names(Filters(q="keo")) == []


@pytest.mark.parametrize(
    ("asked", "number", "shown"), [("2", 2, 6), ("9", 2, 6), ("0", 2, 6), ("x", 1, 24), ("", 1, 24)]
)
def test_catalogue_paging_counts_and_out_of_range_pages(admin_units, asked, number, shown):
    from django.test import Client

    for i in range(30):
        certify(name=f"Kẹo dừa {i:02d}")

    page = Client().get(f"/products/?q=keo&page={asked}").context["page"]

    assert (page.paginator.count, page.number, len(page.object_list)) == (30, number, shown)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!!!", "\x00", " ? - "])
def test_a_query_without_words_finds_nothing_and_fails_nowhere(client, catalogue, query):
    """Punctuation or a NUL character alone: no word to search for, nothing close to it (the fuzzy
    fallback built an empty PostgreSQL expression: a 500 on the public catalogue)."""
    f = parse_filters({"q": query, "star": "5", "kind": ProducerKind.COOPERATIVE})
    assert fuzzy_fallback(f, today()) is None
    response = client.get("/products/", {"q": query, "star": "5"})
    assert response.status_code == 200
    assert response.context["fuzzy"] is False
