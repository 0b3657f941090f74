"""Product page cache with a shared cache (Redis): version tokens instead of the SQL fingerprint."""

import re
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from ocop.catalog import pagecache
from ocop.registry.domain import update_product
from ocop.registry.enums import ProductStatus

from ..services import require_redis
from ..wsgi import WSGIClient
from .helpers import certify, product_url, upgrade

pytestmark = pytest.mark.integration
REDIS = "redis://127.0.0.1:6379/5"


@pytest.fixture(params=["django.core.cache.backends.redis.RedisCache", "ocop.core.cache.RedisCache"])
def shared_cache(request):
    require_redis(REDIS)
    prefix = f"test-catalog-{uuid.uuid4().hex[:8]}"
    config = {
        "BACKEND": request.param,
        "LOCATION": REDIS,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": config}):
        yield
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}:*"):  # only this test's keys (clear() would flush db 5)
            client.delete(key)


def test_shared_cache_is_detected(shared_cache):
    assert pagecache.shared() is True


def test_process_local_cache_keeps_the_fingerprint(admin_units):
    assert pagecache.shared() is False


def test_cached_hit_costs_no_query_with_a_shared_cache(shared_cache, admin_units, django_assert_num_queries):
    product = certify(name="Kẹo dừa sữa")
    client = Client()
    first = client.get(product_url(product))

    with django_assert_num_queries(0):
        second = client.get(product_url(product))

    assert (first.status_code, second.status_code, "Kẹo dừa sữa" in second.content.decode()) == (
        200,
        200,
        True,
    )


def test_uncached_page_stays_within_budget_with_a_shared_cache(
    shared_cache, admin_units, django_assert_max_num_queries
):
    product = certify(name="Kẹo dừa sữa")
    certify(name="Kẹo dừa lá dứa")
    with django_assert_max_num_queries(12):
        response = Client().get(product_url(product))
    assert response.status_code == 200


def test_change_committed_elsewhere_reaches_every_process(
    shared_cache, admin_units, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa", star=3)
    worker_a, worker_b = Client(), Client()
    first = worker_a.get(product_url(product)).content.decode()
    other_process = caches.create_connection("default")  # its own client, as another worker would have
    token_before = other_process.get(pagecache.version_key(product.pk))

    with django_capture_on_commit_callbacks(execute=True):
        upgrade(product)

    token_after = other_process.get(pagecache.version_key(product.pk))
    second = worker_b.get(product_url(product)).content.decode()
    assert (token_before is not None, token_after != token_before) == (True, True)
    assert ("3 sao OCOP" in first, "4 sao OCOP" in second) == (True, True)


def test_rename_moves_the_cached_page_to_the_new_slug(
    shared_cache, vinh_long_officer, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa")
    old_url = product_url(product)
    Client().get(old_url)

    with django_capture_on_commit_callbacks(execute=True):
        product = update_product(product, actor=vinh_long_officer, name="Bánh phồng sữa")

    response = Client().get(old_url)
    assert (response.status_code, response["Location"]) == (301, product_url(product))


def test_hidden_product_is_not_served_from_cache(
    shared_cache, vinh_long_officer, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa")
    Client().get(product_url(product))

    with django_capture_on_commit_callbacks(execute=True):
        update_product(product, actor=vinh_long_officer, status=ProductStatus.DISCONTINUED)

    assert Client().get(product_url(product)).status_code == 404


def test_never_certified_product_is_404_with_a_shared_cache(shared_cache, admin_units):
    from tests.factories import ProductFactory

    product = ProductFactory(name="Chưa có")
    assert (
        Client().get(product_url(product)).status_code,
        Client().get(f"/products/{product.pk}/x/").status_code,
    ) == (
        404,
        404,
    )


def test_reused_client_backend_keeps_one_client_and_works_like_django_s(shared_cache):
    backend = caches["default"]
    backend.set_many({"a": 1, "b": (2, "x")})

    assert (backend.get_many(["a", "b", "c"]), backend.add("a", 9), backend.get("a")) == (
        {"a": 1, "b": (2, "x")},
        False,
        1,
    )
    if type(backend).__module__ == "ocop.core.cache":
        assert backend._cache.get_client() is backend._cache.get_client(write=True)


# Through the WSGI entry point: cached hits answered in front of Django (ocop/core/fastpath.py).

NONCE = re.compile(r"(nonce-|nonce=\")([A-Za-z0-9_\-+/=]+)")


def _normalised(text):
    return NONCE.sub(r"\1N", text)


def test_fast_answer_is_djangos_answer_with_its_own_nonce(
    shared_cache, admin_units, django_assert_num_queries
):
    product = certify(name="Kẹo dừa sữa")
    client = WSGIClient()
    first = client.get(product_url(product))  # rendered by Django and stored with its headers

    with django_assert_num_queries(0):
        fast, again = client.get(product_url(product)), client.get(product_url(product))
    django = WSGIClient(fast=False).get(product_url(product))  # Django alone: the view's own cached hit

    assert (first.via_django, fast.via_django, again.via_django, django.via_django) == (
        True,
        False,
        False,
        True,
    )
    assert fast.status_code == django.status_code == 200
    assert "Set-Cookie" not in first.headers  # an anonymous visitor gets no cookie (no CSRF token needed)
    assert {k: _normalised(v) for k, v in fast.headers.items()} == {
        k: _normalised(v) for k, v in django.headers.items()
    }
    assert _normalised(fast.text) == _normalised(django.text)
    header_nonce = NONCE.search(fast["Content-Security-Policy"]).group(2)
    assert {m.group(2) for m in NONCE.finditer(fast.text)} == {header_nonce}
    assert NONCE.search(again["Content-Security-Policy"]).group(2) != header_nonce


def test_fast_path_leaves_redirects_and_changes_to_django(
    shared_cache, vinh_long_officer, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa", star=3)
    client = WSGIClient()
    client.get(product_url(product))
    wrong_slug = client.get(f"/products/{product.pk}/keo-dua/")

    with django_capture_on_commit_callbacks(execute=True):
        upgrade(product)
    changed = client.get(product_url(product))
    fast = client.get(product_url(product))

    assert (wrong_slug.status_code, wrong_slug.via_django) == (301, True)
    assert (changed.via_django, "4 sao OCOP" in changed.text) == (True, True)
    assert (fast.via_django, "4 sao OCOP" in fast.text) == (False, True)
