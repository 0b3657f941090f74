"""The stats figures shared in the cache (Redis): every worker answers from one entry, and a change
made through the models is seen at once."""

import datetime
import os
import uuid

import pytest
from django.db import transaction
from django.test import Client, override_settings

from ocop import warmup
from ocop.core.dates import today
from ocop.reports import kpis, statscache
from ocop.reports.scope import Scope

from .conftest import cert

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def _redis_up():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def shared_cache():
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    import redis

    prefix = f"test-stats-{uuid.uuid4().hex[:8]}"
    config = {"BACKEND": "ocop.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    client = redis.Redis.from_url(REDIS_URL)
    with override_settings(CACHES={"default": config}):
        yield lambda: sorted(k.decode().split(":", 2)[2] for k in client.scan_iter(f"{prefix}:*"))
    for key in client.scan_iter(f"{prefix}:*"):  # only this test's keys
        client.delete(key)


def country(**params):
    response = Client().get("/api/v1/stats", {"as_of": "2022-07-31", **params})
    assert response.status_code == 200
    return response.json()


def test_figures_are_computed_once_then_shared(world, shared_cache, monkeypatch, django_assert_num_queries):
    first = country()
    assert any(key.startswith("reports:stats:") and key.endswith(":country:vi") for key in shared_cache())

    def no_compute(scope, **kwargs):  # another worker, or this one: nothing is computed again
        raise AssertionError("computed again")

    monkeypatch.setattr(kpis, "compute", no_compute)
    with django_assert_num_queries(0):
        again = country()
    assert again == first


def test_a_change_through_the_models_is_seen_at_once(world, shared_cache):
    before = country()
    cert(world.products["expired"], 5, datetime.date(2022, 7, 1), number="83-99999-2022")
    after = country()
    assert (after["products"], after["by_star"]["5"]) == (before["products"] + 1, before["by_star"]["5"] + 1)


def test_a_change_committed_elsewhere_moves_the_generation(world, shared_cache):
    country()
    generation = statscache._generation()
    with transaction.atomic():
        product = world.products["candy"]
        product.name = "Kẹo dừa sầu riêng"
        product.save()
        moved = statscache._generation()
        product.save()  # a second save in the same transaction bumps no more
        assert statscache._generation() == moved
    assert moved != generation


def test_scopes_and_dates_are_kept_apart(world, shared_cache):
    assert country()["unit"] is None
    assert country(province="83")["unit"] == {"code": "83", "name": "Tỉnh Bến Tre"}
    assert country(as_of="2021-01-01")["as_of"] == "2021-01-01"


def test_without_a_shared_cache_nothing_is_cached(world):
    assert statscache.shared() is False
    before = country()
    cert(world.products["expired"], 5, datetime.date(2022, 7, 1), number="83-99999-2022")
    assert country()["products"] == before["products"] + 1


@pytest.fixture
def keep_connection():
    """The warm-up's requests go through the WSGI handler, whose request signals close the database
    connection (Django's test client disconnects them too): keep the test's transaction open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_warm_up_fills_today_s_country_figures(world, shared_cache, monkeypatch, keep_connection):
    warmup.warm()  # what the master does before forking (then it closes its connections)
    assert any(key.endswith(":country:vi") for key in shared_cache())

    monkeypatch.setattr(kpis, "compute", lambda scope, **kw: pytest.fail("computed again"))
    assert statscache.figures(Scope(today()))["unit"] is None


def test_a_change_outside_the_catalogue_is_seen_at_once(world, shared_cache):
    # A new sale point changes no catalogue row (no read-model refresh): the model signal bumps.
    from ocop.market.enums import SalePointKind
    from ocop.market.models import SalePoint
    from tests.factories import unit

    before = country()["sale_points"]
    SalePoint.objects.create(
        name="Điểm OCOP Bến Tre", kind=SalePointKind.OCOP_POINT, address="1 Đồng Khởi", commune=unit("28756")
    )
    assert country()["sale_points"] == before + 1


def test_warm_up_requests_answer_through_the_whole_stack(world, keep_connection):
    assert warmup.request("/api/v1/stats") == "200 OK"
    assert warmup.request("/products/") == "200 OK"


def test_a_login_does_not_throw_the_figures_away(world, shared_cache):
    # Every login saves the user's last_login; the figures do not read it.
    from django.utils import timezone

    from tests.factories import UserFactory

    someone = UserFactory()
    country()
    generation = statscache._generation()
    someone.last_login = timezone.now()
    someone.save(update_fields=["last_login"])
    assert statscache._generation() == generation


def test_a_new_role_assignment_moves_the_generation(world, shared_cache):
    # The officials counted by role (kpis.officials_count) are read from the role assignments.
    from ocop.accounts.enums import Role
    from tests.factories import UserFactory, unit, with_role

    someone = UserFactory()
    country()
    generation = statscache._generation()
    with_role(someone, Role.PROVINCE_OFFICER, unit=unit("83"))
    assert statscache._generation() != generation
