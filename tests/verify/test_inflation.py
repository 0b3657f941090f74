"""#12 item 10, scan inflation: repeated scans of one serial by the same client within
VERIFY_REPEAT_SECONDS are logged but count once, so they cannot turn a genuine stamp's page into "may
have been copied" nor open a counterfeit signal; scans by different clients still count."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from ocop.stamps import scanbuffer, shared
from ocop.stamps.models import CounterfeitSignal, Scan

from ..services import needs_redis
from ..stamps.helpers import serial_of
from .test_hotpath import buffered, redis_cache  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def flusher(buffered, db):  # noqa: F811
    """Scans through the per-process buffer; its thread stopped while the test database is still open."""
    yield
    scanbuffer.on_exit()


def _count(page):
    return int(re.search(r'data-scans="(\d+)"', page.text).group(1))


def _burst(client, serial, n=22, address="203.0.113.7"):
    return [client.get(f"/v/{serial}", REMOTE_ADDR=address) for _ in range(n)]


def _outcome(serial, pages):
    return (
        [_count(p) for p in pages],
        any("scan-warn" in p.text for p in pages),
        list(CounterfeitSignal.objects.values_list("serial", "kind")),
        list(Scan.objects.filter(serial=serial).order_by("pk").values_list("counted", flat=True)),
    )


def test_one_client_bursting_a_genuine_serial_counts_once(client, batch):
    serial = serial_of(batch, 9)

    pages = _burst(client, serial)
    other = client.get(f"/v/{serial}", REMOTE_ADDR="198.51.100.4")

    assert _outcome(serial, pages) == ([1] * 22, False, [], [True] + [False] * 21 + [True])
    assert _count(other) == 2


@override_settings(VERIFY_REPEAT_SECONDS=0)
def test_repeat_window_off_counts_every_scan(client, batch):
    serial = serial_of(batch, 9)

    pages = _burst(client, serial)

    assert _outcome(serial, pages) == (list(range(1, 23)), True, [(serial, "repeated")], [True] * 22)


@needs_redis
def test_redis_one_client_bursting_counts_once_and_every_scan_is_logged(client, batch, redis_cache, flusher):  # noqa: F811
    serial = serial_of(batch, 8)
    client.get(f"/v/{serial_of(batch, 1)}", REMOTE_ADDR="198.51.100.9")  # batch page cached and loaded
    scanbuffer.flush()

    pages = _burst(client, serial)
    other = client.get(f"/v/{serial}", REMOTE_ADDR="198.51.100.4")
    scanbuffer.flush()

    assert _outcome(serial, pages) == ([1] * 22, False, [], [True] + [False] * 21 + [True])
    assert _count(other) == 2


@needs_redis
def test_redis_repeat_after_the_count_was_forgotten_is_not_counted(client, batch, redis_cache, flusher):  # noqa: F811
    serial = serial_of(batch, 6)
    first = client.get(f"/v/{serial}", REMOTE_ADDR="203.0.113.7")
    scanbuffer.flush()
    redis_cache.delete(shared.count_key(serial))  # expired: the next scan reads the scan log

    again = client.get(f"/v/{serial}", REMOTE_ADDR="203.0.113.7")
    other = client.get(f"/v/{serial}", REMOTE_ADDR="198.51.100.4")
    scanbuffer.flush()

    assert [_count(first), _count(again), _count(other)] == [1, 1, 2]
    assert list(Scan.objects.filter(serial=serial).order_by("pk").values_list("counted", flat=True)) == [
        True,
        False,
        True,
    ]
