"""The catalogue's query field keeps a usable width at every screen size (it was 22 px at 1024–1920)."""

import pytest

from tests.catalog.helpers import certify

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [390, 1024, 1366, 1920])
def test_catalogue_search_field_keeps_its_width(page, width):
    certify(name="Kẹo dừa sữa")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/products/")
    field = page.locator("#f-q").bounding_box()
    row = page.locator(".searchrow").bounding_box()
    assert field["width"] >= min(0.5 * row["width"], 300), (width, field["width"], row["width"])
