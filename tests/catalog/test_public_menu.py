"""Every public page links to the verify form, the practice scoring and the statistics."""

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.catalog.templatetags.catalog_tags import PUBLIC_MENU

pytestmark = pytest.mark.integration


def test_public_menu_names_all_resolve():
    from django.urls import reverse

    assert [reverse(name) for name, _label in PUBLIC_MENU] == [
        "/",
        "/products/",
        "/map/",
        "/events/",
        "/v/",
        "/practice/",
        "/statistics/",
        "/open-data/",
    ]


def test_home_links_to_verify_practice_and_statistics(admin_units):
    cache.clear()
    html = Client().get("/").content.decode()
    assert [f'href="{url}"' in html for url in ("/v/", "/practice/", "/statistics/")] == [True, True, True]
