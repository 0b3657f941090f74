"""Units are picked by name on the public pages: the catalogue's commune list follows the chosen
province (map in force), the statistics page lists provinces by name. No code is typed."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_catalogue_offers_communes_of_the_chosen_province_by_name(admin_units):
    client = Client()
    without = client.get("/products/")
    chosen = client.get("/products/?province=86")
    names = [u.name for u in chosen.context["communes"]]
    html = chosen.content.decode()
    assert (without.context["communes"], "Commune code" in html, 'name="commune" value=' in html) == (
        [],
        False,
        False,
    )
    assert (
        "Phường Phú Khương" in names,
        all(u.province.code == "86" for u in chosen.context["communes"]),
    ) == (True, True)
    assert '<select id="f-commune" name="commune">' in html


def test_catalogue_htmx_refreshes_the_commune_list(admin_units):
    response = Client().get("/products/?province=86", headers={"HX-Request": "true"})
    assert '<p id="commune-field" hx-swap-oob="true">' in response.content.decode()


def test_statistics_page_lists_provinces_by_name(admin_units):
    response = Client().get("/statistics/?province=86")
    html = response.content.decode()
    assert response.context["province_choices"][0].map == "current"
    assert '<option value="86" selected>Tỉnh Vĩnh Long</option>' in html
    assert 'inputmode="numeric" maxlength="2"' not in html
