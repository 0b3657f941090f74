"""The catalogue's product cards are rendered once and then served from the cache, keyed by what
they show: a change published to the read model (or a new photo) must show at once."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered

from ocop.catalog import search
from ocop.core.permissions import SYSTEM
from ocop.registry.domain import add_photo, update_producer, update_product

from ..factories import png
from .helpers import certify

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def card_renders():
    names = []

    def rendered(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(rendered)
    yield lambda: names.count(search.CARD_TEMPLATE)
    template_rendered.disconnect(rendered)


def test_cards_are_rendered_once_then_come_from_the_cache(admin_units, card_renders):
    for i in range(3):
        certify(name=f"Kẹo dừa {i}")
    client = Client()
    first = client.get("/products/?q=keo+dua", headers=HTMX)
    assert card_renders() == 3
    second = client.get("/products/?q=keo+dua", headers=HTMX)
    assert card_renders() == 3  # no card rendered again
    assert second.content == first.content
    assert [first.content.decode().count(f"Kẹo dừa {i}") for i in range(3)] == [1, 1, 1]


def test_full_page_and_fragment_share_the_cards(admin_units, card_renders):
    certify(name="Kẹo dừa sữa")
    client = Client()
    assert "Kẹo dừa sữa" in client.get("/products/?q=keo").content.decode()
    assert "Kẹo dừa sữa" in client.get("/products/?q=dua", headers=HTMX).content.decode()
    assert card_renders() == 1


def test_a_published_change_shows_at_once(admin_units):
    product = certify(name="Kẹo dừa sữa")
    client = Client()
    assert "Kẹo dừa sữa" in client.get("/products/?q=keo", headers=HTMX).content.decode()
    update_product(product, actor=SYSTEM, name="Kẹo dừa sầu riêng")
    html = client.get("/products/?q=keo", headers=HTMX).content.decode()
    assert ("Kẹo dừa sầu riêng" in html, "Kẹo dừa sữa" in html) == (True, False)


def test_a_renamed_producer_shows_at_once(admin_units):
    product = certify(name="Kẹo dừa sữa")
    client = Client()
    old = product.producer.name
    assert old in client.get("/products/?q=keo", headers=HTMX).content.decode()
    update_producer(product.producer, actor=SYSTEM, name="Hợp tác xã Kẹo dừa Mỏ Cày")  # publishes it
    html = client.get("/products/?q=keo", headers=HTMX).content.decode()
    assert ("Hợp tác xã Kẹo dừa Mỏ Cày" in html, old in html) == (True, False)


def test_a_new_photo_shows_at_once(admin_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = certify(name="Kẹo dừa sữa")
    client = Client()
    assert "<img" not in client.get("/products/?q=keo", headers=HTMX).content.decode()
    add_photo(product, png(), actor=SYSTEM)
    assert "<img" in client.get("/products/?q=keo", headers=HTMX).content.decode()


def test_cards_follow_the_language(admin_units):
    certify(name="Kẹo dừa sữa", star=4)
    client = Client()
    vi = client.get("/products/?q=keo", headers={**HTMX, "Accept-Language": "vi"}).content.decode()
    en = client.get("/products/?q=keo", headers={**HTMX, "Accept-Language": "en"}).content.decode()
    assert ("4-star OCOP" in en, "4-star OCOP" in vi) == (True, False)
