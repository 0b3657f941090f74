"""The verify hot path: cached batch pages, the shared cache (Redis), the scan buffer, counts."""

import datetime
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import translation

from ocop.catalog.views.verify import scan_line
from ocop.certificates.domain import revoke_certificate
from ocop.certificates.enums import RevocationGround
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.registry.domain import update_product
from ocop.stamps import scanbuffer, shared
from ocop.stamps.models import CounterfeitSignal, Scan
from ocop.stamps.serials import grouped

from ..services import needs_redis, require_redis
from ..stamps.helpers import serial_of

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
# One Redis database per xdist worker (13, 14, 15): the fixture empties it around each test.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{13 + _WORKER % 3}")
REDIS_CACHES = {"default": {"BACKEND": shared.REDIS_BACKEND, "LOCATION": REDIS_URL}}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def redis_cache():
    """Redis as the default cache (as with REDIS_URL), emptied before and after."""
    import redis

    require_redis(REDIS_URL)
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    with override_settings(CACHES=REDIS_CACHES):
        yield client
    client.flushdb()


@pytest.fixture
def buffered():
    with override_settings(VERIFY_SCAN_BUFFER=True, VERIFY_FLUSH_MS=50):
        yield scanbuffer
    scanbuffer.flush()


def _normalised(html):
    return re.sub(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1T", html)


@pytest.mark.unit
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("count", "many"), [(1, False), (2, False), (3, False), (25, True), (1500, True)])
def test_scan_line_same_as_template_partial(language, count, many):
    scans = {"count": count, "first": datetime.datetime(2026, 5, 1, 3, 4, tzinfo=datetime.UTC), "many": many}

    with translation.override(language):
        expected = render_to_string("catalog/verify/page.html#scans", {"scans": scans})
        assert scan_line(scans) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_cached_page_same_as_full_render(client, batch, language):
    client.cookies["django_language"] = language
    client.get(f"/v/{serial_of(batch, 1)}")  # renders and caches the batch's page
    hit_serial, full_serial = serial_of(batch, 2), serial_of(batch, 3)

    hit = client.get(f"/v/{hit_serial}")
    uncached = Client()
    uncached.cookies["django_language"] = language
    uncached.cookies["messages"] = "none"  # not cacheable: rendered in full
    full = uncached.get(f"/v/{full_serial}")

    assert hit.templates == []  # served from the cache, no template rendered
    assert full.templates[0].name == "catalog/verify/page.html"
    expected = full.text.replace(grouped(full_serial), grouped(hit_serial)).replace(full_serial, hit_serial)
    assert _normalised(hit.text) == _normalised(expected)
    assert (hit.status_code, hit["Cache-Control"], hit["X-Robots-Tag"]) == (200, "no-store", "noindex")


@pytest.mark.django_db
def test_cached_page_serial_beyond_quantity_is_unknown(client, batch):
    client.get(f"/v/{serial_of(batch, 1)}")

    response = client.get(f"/v/{serial_of(batch, batch.quantity)}")

    assert (response.status_code, response.context["answer"]["status"]) == (404, "unknown")


@pytest.mark.django_db
def test_product_rename_bumps_the_batch_version(client, batch, django_capture_on_commit_callbacks):
    client.get(f"/v/{serial_of(batch, 1)}")
    product = batch.product
    with django_capture_on_commit_callbacks(execute=True):
        update_product(product, actor=SYSTEM, name="Kẹo dừa Thanh Long mới")

    response = client.get(f"/v/{serial_of(batch, 2)}")

    assert "Kẹo dừa Thanh Long mới" in response.text


@needs_redis
@pytest.mark.django_db
def test_redis_hit_costs_no_query_and_the_buffer_writes_every_scan(
    client, batch, redis_cache, buffered, django_assert_num_queries
):
    serial = serial_of(batch, 4)
    client.get(f"/v/{serial_of(batch, 1)}")  # page cached; the batch gets loaded into the scan index
    scanbuffer.flush()

    with django_assert_num_queries(0):
        pages = [client.get(f"/v/{serial}", REMOTE_ADDR=f"10.0.0.{i}") for i in range(3)]  # 3 buyers
    written = scanbuffer.flush()

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert [re.search(r'data-scans="(\d+)"', p.text).group(1) for p in pages] == ["1", "2", "3"]
    assert written == 3
    assert list(Scan.objects.filter(serial=serial).values_list("verdict", flat=True)) == ["valid"] * 3


@needs_redis
@pytest.mark.django_db
def test_redis_counts_start_from_the_scan_log(client, batch, redis_cache):
    serial = serial_of(batch, 5)
    first = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    Scan.objects.bulk_create(
        [Scan(serial=serial, batch_id=batch.pk, scanned_at=first, verdict="valid") for _ in range(4)]
    )

    counts = [
        int(
            re.search(
                r'data-scans="(\d+)"', client.get(f"/v/{serial}", REMOTE_ADDR=f"10.0.0.{i}").text
            ).group(1)
        )
        for i in range(2)
    ]
    other = client.get(f"/v/{serial_of(batch, 6)}").text

    assert counts == [5, 6]
    assert redis_cache.getbit(shared.seen_key(batch.pk), 0) == 1  # batch loaded: next first scans skip SQL
    assert 'data-scans="1"' in other
    assert Scan.objects.filter(serial=serial).count() == 6


@needs_redis
@pytest.mark.django_db
@override_settings(STAMP_SCAN_LIMIT=2)
def test_redis_buffered_repeated_scans_raise_the_signal_after_flush(client, batch, redis_cache, buffered):
    serial = serial_of(batch, 8)
    for i in range(4):
        client.get(f"/v/{serial}", REMOTE_ADDR=f"10.0.0.{i}")  # 4 buyers
    scanbuffer.flush()

    assert list(CounterfeitSignal.objects.values_list("serial", "kind", "scans")) == [(serial, "repeated", 4)]


@needs_redis
@pytest.mark.django_db
def test_revocation_seen_by_another_process_through_redis(
    client, batch, vinh_long_officer, redis_cache, django_capture_on_commit_callbacks
):
    serial = serial_of(batch, 3)
    assert client.get(f"/v/{serial}").text.count('data-status="valid"') == 1
    before = _version_in_other_process(batch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(
            batch.certificate,
            actor=vinh_long_officer,
            ground=RevocationGround.LAW_VIOLATION,
            decision_number="56/QĐ-UBND",
            concluded_on=today() - datetime.timedelta(days=1),
            revoked_on=today() - datetime.timedelta(days=1),
        )

    after = _version_in_other_process(batch.pk)
    page = client.get(f"/v/{serial_of(batch, 4)}")

    assert before != after
    assert after == shared.batch_version(batch.pk)
    assert 'data-status="revoked"' in page.text


def _version_in_other_process(batch_id):
    code = (
        "import django; django.setup(); from ocop.stamps import shared; "
        f"print(shared.batch_version({batch_id}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@needs_redis
@pytest.mark.django_db
@override_settings(VERIFY_RATE_PER_MINUTE=60, VERIFY_BURST=2)
def test_redis_rate_limit_per_client(client, batch, redis_cache, stopped_clock):
    statuses = [client.get(f"/v/{serial_of(batch, 1)}").status_code for _ in range(3)]
    api = client.get("/api/v1/verify/XYZ").status_code

    assert statuses == [200, 200, 429]
    assert api == 200  # the API has its own bucket
    assert Scan.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@override_settings(VERIFY_RATE_PER_MINUTE=0)
@pytest.mark.parametrize("use_redis", [False, True])
def test_concurrent_scans_none_lost(batch_factory, buffered, use_redis):
    if use_redis:
        require_redis(REDIS_URL)
    if connection.vendor == "sqlite" and not connection.features.test_db_allows_multiple_connections:
        pytest.skip("in-memory SQLite without shared cache")
    batch = batch_factory()
    serials = [serial_of(batch, i % 5) for i in range(40)]
    errors = []

    def scan(part):
        client = Client()
        for serial in part:
            response = client.get(f"/v/{serial}")
            if response.status_code != 200:
                errors.append(response.status_code)
        connections.close_all()  # this thread's connection

    with override_settings(**({"CACHES": REDIS_CACHES} if use_redis else {})):
        if use_redis:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        threads = [threading.Thread(target=scan, args=(serials[i::4],)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        scanbuffer.on_exit()  # what atexit / gunicorn's worker_exit do

    assert errors == []
    assert Scan.objects.filter(batch_id=batch.pk).count() == 40
    assert sorted(Scan.objects.values_list("serial", flat=True).distinct()) == sorted(set(serials))


@pytest.fixture
def batch_factory(vinh_long_officer):
    from ..stamps.helpers import approved_batch, valid_certificate

    def make():
        return approved_batch(valid_certificate(), actor=vinh_long_officer, lot_number="L1")

    return make


@pytest.mark.django_db(transaction=True)
def test_worker_exit_flushes_pending_scans():
    """A separate process buffers scans and exits: atexit writes them (PostgreSQL: a real second
    process on the test database)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open")
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; settings.VERIFY_SCAN_BUFFER = True; settings.VERIFY_FLUSH_MS = 60000\n"
        "from django.utils import timezone\n"
        "from ocop.stamps import scanbuffer\n"
        "from ocop.stamps.models import Scan\n"
        "for i in range(25):\n"
        "    row = scanbuffer.ScanRow(f'EXIT{i}', 1, timezone.now(), 'valid', '', None, None, 'mobile')\n"
        "    scanbuffer.get().append(row)\n"
        "assert Scan.objects.filter(serial__startswith='EXIT').count() == 0\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)

    assert Scan.objects.filter(serial__startswith="EXIT").count() == 25
