import csv
import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.catalog.slugs import slug_for
from ocop.core.dates import today
from ocop.market.enums import Platform, SalePointKind
from ocop.market.models import OnlineListing, SalePoint
from tests.factories import ProducerFactory, ProductFactory, unit

from .helpers import certify, product_url, upgrade

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_home_counts_valid_products_by_star(admin_units):
    certify(name="Kẹo dừa sữa", star=4, potential=True)
    certify(name="Bánh tráng", star=3)
    response = Client().get("/")
    assert response.status_code == 200
    assert response.context["by_star"] == {"3": 1, "4": 1, "5": 0}
    assert (response.context["total"], response.context["potential"]) == (2, 1)


@pytest.mark.parametrize("n", [1, 3])
def test_catalogue_query_count_does_not_grow(admin_units, django_assert_num_queries, n):
    for i in range(n):
        certify(name=f"Kẹo dừa {i}")
    client = Client()
    url = "/products/?q=keo+dua&star=4"
    # cards not cached yet: page of read-model rows with their total (window count); first photos and
    # communes' names (the cards' keys); then, for the cards to render, the communes with their
    # provinces and the photos (htmx fragment: no province list)
    with django_assert_num_queries(5) as queries:
        response = client.get(url, headers={"HX-Request": "true"})
    assert len(response.context["page"].object_list) == n
    # the page's query (every match, counted) joins no unit table: on PostgreSQL a join made it hash
    # the 14,000 units of both maps on every search with more than ~130 matches
    assert "geo_adminunit" not in queries.captured_queries[0]["sql"]
    # cards cached: the rows, the first photos and the communes' names only
    with django_assert_num_queries(3):
        again = client.get(url, headers={"HX-Request": "true"})
    assert again.content == response.content


def test_a_card_has_the_same_key_from_its_row_as_from_its_product(admin_units):
    from django.core.files.base import ContentFile

    from ocop.catalog.models import CatalogEntry
    from ocop.catalog.search import card_key, cards, entry_card_key
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import ProductPhoto

    product = certify(name="Kẹo dừa sáp")
    ProductPhoto.objects.create(product=product, image=ContentFile(b"x", name="keo.jpg"))
    entry = CatalogEntry.objects.get(product=product)
    built = cards([CatalogEntry.objects.get(product=product)])[0]
    photo = product.photos.values_list("pk", "image").first()
    commune = (
        AdminUnit.objects.filter(pk=entry.current_commune_id).values_list("name", "province__name").first()
    )

    assert entry_card_key(entry, commune, photo, "vi") == card_key(built, "vi")


def test_catalogue_htmx_returns_only_results(admin_units):
    certify(name="Kẹo dừa sữa")
    response = Client().get("/products/?q=dua+keo", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert (html.lstrip().startswith('<div id="results"'), "<html" in html, "Kẹo dừa sữa" in html) == (
        True,
        False,
        True,
    )


def test_catalogue_bad_filter_is_ignored_with_message(admin_units):
    certify(name="Kẹo dừa sữa")
    response = Client().get("/products/?star=9")
    assert (response.status_code, response.context["page"].paginator.count) == (200, 1)
    assert [str(m) for m in response.context["messages"]] == [
        "Một số bộ lọc không hợp lệ và đã được bỏ qua: số sao."
    ]


def test_product_page_has_json_ld_with_nonce_canonical_and_qr(admin_units):
    product = certify(name="Kẹo dừa sữa", star=4)
    response = Client().get(product_url(product))
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json" nonce="' + nonce + r'">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert (data["@type"], data["name"], data["brand"]["name"]) == (
        "Product",
        "Kẹo dừa sữa",
        product.producer.name,
    )
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{product_url(product)}">' in html
    assert ('property="og:title"', "<svg" in html) == ('property="og:title"', True)


def test_product_page_query_budget(admin_units, django_assert_max_num_queries):
    product = certify(name="Kẹo dừa sữa")
    sp = SalePoint.objects.create(
        name="GO!", kind=SalePointKind.SUPERMARKET, address="A", commune=unit("28756")
    )
    sp.products.add(product)
    OnlineListing.objects.create(product=product, platform=Platform.VOSO, url="https://voso.vn/x")
    certify(name="Kẹo dừa lá dứa")
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(product_url(product))
    assert [s.name for s in response.context["sale_points"]] == ["GO!"]


def test_product_page_cached_hit_costs_one_query(admin_units, django_assert_num_queries):
    product = certify(name="Kẹo dừa sữa")
    client = Client()
    client.get(product_url(product))
    with django_assert_num_queries(1):
        response = client.get(product_url(product))
    assert response.status_code == 200


def test_product_page_cache_follows_certificate_changes(admin_units):
    product = certify(name="Kẹo dừa sữa", star=3)
    client = Client()
    first = client.get(product_url(product)).content.decode()
    upgrade(product)
    second = client.get(product_url(product)).content.decode()
    assert ("3 sao OCOP" in first, "4 sao OCOP" in second) == (True, True)


def test_product_page_cache_does_not_leak_csrf_token_or_nonce(admin_units):
    product = certify(name="Kẹo dừa sữa")
    a, b = Client(), Client()
    html_a = a.get(product_url(product)).content.decode()
    response_b = b.get(product_url(product))
    html_b = response_b.content.decode()
    nonce_b = re.search(r"'nonce-([^']+)'", response_b["Content-Security-Policy"]).group(1)
    assert ("__OCOP_" in html_a + html_b, f'nonce="{nonce_b}"' in html_b) == (False, True)


def test_product_slug_redirects_to_canonical(admin_units):
    product = certify(name="Kẹo dừa sữa")
    response = Client().get(f"/products/{product.pk}/")
    assert (response.status_code, response["Location"]) == (301, product_url(product))


def test_product_never_certified_is_404(admin_units):
    assert Client().get(product_url(ProductFactory(name="Chưa có"))).status_code == 404


def test_expired_product_page_shows_no_stars(admin_units):
    product = certify(name="Kẹo dừa sữa", star=4, days_ago=1200)
    html = Client().get(product_url(product)).content.decode()
    assert ("Không có giấy chứng nhận còn hiệu lực" in html, "starbadge big" in html) == (True, False)


def test_producer_page_lists_products_and_hides_tax_code(admin_units):
    producer = ProducerFactory(name="HTX Dừa", phone="0909 000 111", phone_public=False)
    certify(name="Kẹo dừa sữa", producer=producer)
    html = Client().get(f"/producers/{producer.pk}/{slug_for(producer.name)}/").content.decode()
    assert ("Kẹo dừa sữa" in html, producer.tax_code in html, "0909 000 111" in html) == (True, False, False)


def test_open_data_csv_schema_and_privacy(admin_units):
    product = certify(name="Kẹo dừa sữa", star=4)
    response = Client().get("/open-data/ocop-products.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The published header, as a consumer reads it: schema 1's columns, then the appended ones.
    assert response.content.decode("utf-8-sig").splitlines()[0] == (
        "product_id,product_name,product_set,product_set_name,star,potential_5_star,producer_id,"
        "producer_name,producer_kind,commune_code,commune_name,province_code,province_name,"
        "certificate_number,issued_on,valid_until,url,growing_area_codes,facility_codes"
    )
    assert (rows[0]["product_name"], rows[0]["star"], rows[0]["province_code"]) == ("Kẹo dừa sữa", "4", "86")
    assert product.producer.tax_code not in response.content.decode("utf-8-sig")


def test_open_data_json_and_xlsx_as_of_a_past_day(admin_units):
    certify(name="Kẹo dừa sữa", days_ago=10)
    doc = json.loads(Client().get("/open-data/ocop-products.json?as_of=2022-07-31").content)
    assert (doc["schema_version"], doc["count"], doc["items"]) == (1, 0, [])
    xlsx = Client().get("/open-data/ocop-products.xlsx")
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")


def test_open_data_bad_date_is_400(admin_units):
    response = Client().get("/open-data/ocop-products.csv?as_of=31-31-2022")
    assert (response.status_code, "2022-07-31" in response.content.decode()) == (400, True)


def test_sitemap_and_robots(admin_units):
    product = certify(name="Kẹo dừa sữa")
    sitemap = Client().get("/sitemap.xml").content.decode()
    robots = Client().get("/robots.txt").content.decode()
    assert f"<loc>http://127.0.0.1:8000{product_url(product)}</loc>" in sitemap
    assert robots.splitlines()[:2] == ["User-agent: *", "Disallow: /office/"]


def test_map_data_lists_active_sale_points_with_coordinates(admin_units):
    product = certify(name="Kẹo dừa sữa")
    sp = SalePoint.objects.create(
        name="Điểm OCOP",
        kind=SalePointKind.OCOP_POINT,
        address="Số 2",
        commune=unit("28777"),
        latitude="10.241190",
        longitude="106.375360",
    )
    sp.products.add(product)
    SalePoint.objects.create(
        name="Đóng cửa",
        kind="shop",
        status="closed",
        address="X",
        commune=unit("28777"),
        latitude="10.2",
        longitude="106.3",
    )
    data = Client().get(f"/map/data.json?product={product.pk}").json()
    assert [(p["name"], p["lat"], p["lng"]) for p in data["points"]] == [("Điểm OCOP", 10.24119, 106.37536)]
    page = Client().get(f"/map/?product={product.pk}").content.decode()
    assert f'id="sp-{sp.pk}"' in page


def test_public_menu_links_only_existing_pages(admin_units):
    html = Client().get("/").content.decode()
    assert ('href="/products/"' in html, 'href="/map/"' in html) == (True, True)


def test_valid_until_date_is_vietnamese_format(admin_units):
    product = certify(name="Kẹo dừa sữa", days_ago=0)
    valid_until = today().replace(year=today().year + 3) - datetime.timedelta(days=1)
    html = Client().get(product_url(product)).content.decode()
    assert (
        f"{valid_until.day:02d}/{valid_until.month:02d}/{valid_until.year}" in html
        or f"{valid_until.day}/{valid_until.month}/{valid_until.year}" in html
    )


def test_province_filter_list_follows_new_certifications(admin_units):
    from ocop.geo.models import AdminUnit
    from tests.factories import ProducerFactory, ProductFactory

    certify(name="Kẹo dừa sữa")
    before = {p.pk for p in Client().get("/products/").context["provinces"]}
    elsewhere = AdminUnit.objects.filter(map="current", level="commune").exclude(province__in=before).first()
    certify(ProductFactory(name="Chè Shan tuyết", producer=ProducerFactory(commune=elsewhere)))

    after = {p.pk for p in Client().get("/products/").context["provinces"]}

    assert len(before) == 1
    assert after == before | {elsewhere.province_id}
