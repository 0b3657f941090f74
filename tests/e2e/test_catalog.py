"""The consumer's path: search without diacritics, filter, open a product, follow "where to buy" to the
map; axe-core (vendored) finds no serious or critical accessibility violation on those pages."""

from decimal import Decimal

import pytest

from ocop.market.enums import SalePointKind
from ocop.market.models import SalePoint
from tests.catalog.helpers import certify
from tests.factories import unit

pytestmark = pytest.mark.e2e


def axe_violations(page):
    page.add_script_tag(url=page.base_url + "/static/vendor/axe/axe.min.js")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result if v["impact"] in ("serious", "critical")]


@pytest.fixture
def shop(admin_units):
    keo = certify(name="Kẹo dừa sữa Lương Quới", star=4)
    certify(name="Kẹo dừa lá dứa", star=3)
    certify(name="Bánh tráng Mỹ Lồng", star=4)
    sp = SalePoint.objects.create(
        name="Điểm giới thiệu và bán sản phẩm OCOP tỉnh Bến Tre", kind=SalePointKind.OCOP_POINT,
        address="Số 2 Đại lộ Đồng Khởi", commune=unit("28777"), latitude=Decimal("10.241190"),
        longitude=Decimal("106.375360"), opening_hours="7:00–21:00",
    )
    sp.products.add(keo)
    return keo, sp


def test_search_filter_product_and_where_to_buy_on_the_map(page, shop):
    keo, sp = shop
    page.goto(page.base_url + "/")
    assert axe_violations(page) == []
    page.fill("#home-q", "dua keo")
    page.click(".hero button[type=submit]")
    page.wait_for_url("**/products/?q=dua+keo")
    cards = page.locator("#results .pcard h3")
    assert sorted(cards.all_inner_texts()) == ["Kẹo dừa lá dứa", "Kẹo dừa sữa Lương Quới"]
    assert axe_violations(page) == []

    page.check("input[name=star][value='4']")  # htmx replaces the results in place and updates the URL
    page.wait_for_url("**star=4**")
    page.locator("#results .pcard h3", has_text="Kẹo dừa lá dứa").wait_for(state="detached")
    assert cards.all_inner_texts() == ["Kẹo dừa sữa Lương Quới"]

    page.click("#results .pcard h3 a")
    page.wait_for_url(f"**/products/{keo.pk}/**")
    assert page.locator("h1").inner_text() == "Kẹo dừa sữa Lương Quới"
    assert "4 sao OCOP" in page.locator(".starbadge.big").inner_text()
    assert axe_violations(page) == []

    page.click("#where-to-buy a.btn")
    page.wait_for_url(f"**/map/?product={keo.pk}")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator(f"#sp-{sp.pk} strong").inner_text() == sp.name
    assert page.locator("#map .leaflet-interactive").count() >= 1  # a marker, with or without map tiles
    assert axe_violations(page) == []


def test_catalogue_works_without_javascript(browser, live_server, shop):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/products/?q=KEO+DUA&star=4")
    assert page.locator("#results .pcard h3").all_inner_texts() == ["Kẹo dừa sữa Lương Quới"]
    context.close()
