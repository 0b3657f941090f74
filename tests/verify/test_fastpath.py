"""`/v/<serial>` through the WSGI entry point: cached hits are answered in front of Django (ocop/core/
fastpath.py) with the same page and headers Django gives, one scan logged per request, and everything
else left to Django."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

from ocop.core import fastpath
from ocop.stamps import scanbuffer
from ocop.stamps.models import Scan
from ocop.stamps.serials import grouped

from ..stamps.helpers import serial_of
from ..wsgi import WSGIClient
from .test_hotpath import buffered, needs_redis, redis_cache  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.integration, needs_redis, pytest.mark.django_db]


def _scans(answer):
    return int(re.search(r'data-scans="(\d+)"', answer.text).group(1))


@pytest.fixture
def warm(batch, redis_cache, buffered, settings):  # noqa: F811
    """The batch's page rendered by Django and stored with its headers; the batch loaded into the
    shared scan index (what a server that has been up a while has). The background flusher stays
    asleep: the tests write the buffer themselves (SQLite would lock against the test's transaction)."""
    settings.VERIFY_FLUSH_MS = 3_600_000

    def run(client):
        first = client.get(f"/v/{serial_of(batch, 1)}")
        assert (first.status_code, first.via_django) == (200, True)
        scanbuffer.flush()
        return first

    return run


@pytest.mark.parametrize(
    ("language", "headers"),
    [("vi", {}), ("en", {}), ("en", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"})],
)
def test_fast_answer_is_djangos_answer(batch, warm, language, headers):
    client = WSGIClient(**headers)
    if not headers:
        client.cookies["django_language"] = language
    warm(client)
    fast_serial, django_serial = serial_of(batch, 2), serial_of(batch, 3)

    fast = client.get(f"/v/{fast_serial}")
    plain = WSGIClient(fast=False, **headers)  # Django alone: the view's own cached hit
    plain.cookies = client.cookies
    django = plain.get(f"/v/{django_serial}")

    assert (fast.via_django, django.via_django) == (False, True)
    assert fast.status_code == django.status_code == 200
    assert fast.headers == django.headers
    assert fast["Content-Language"] == language
    expected = django.text.replace(grouped(django_serial), grouped(fast_serial)).replace(
        django_serial, fast_serial
    )
    assert fast.text == expected


def test_each_fast_answer_counts_and_logs_its_scan(batch, warm, django_assert_num_queries):
    client = WSGIClient()
    warm(client)
    serial = serial_of(batch, 7)

    with django_assert_num_queries(0):
        answers = [client.get(f"/v/{serial}", REMOTE_ADDR=f"10.0.0.{i}") for i in range(3)]  # 3 buyers
    written = scanbuffer.flush()

    assert [a.via_django for a in answers] == [False, False, False]
    assert [_scans(a) for a in answers] == [1, 2, 3]
    assert written == 3
    assert Scan.objects.filter(serial=serial).count() == 3


@override_settings(VERIFY_RATE_PER_MINUTE=60, VERIFY_BURST=3)
def test_rate_limit_takes_one_token_per_request(batch, warm, stopped_clock):
    client = WSGIClient()
    warm(client)  # one token

    answers = [client.get(f"/v/{serial_of(batch, 2)}") for _ in range(3)]
    scanbuffer.flush()

    assert [(a.status_code, a.via_django) for a in answers] == [(200, False), (200, False), (429, True)]
    assert Scan.objects.count() == 3


@pytest.mark.parametrize(
    ("path", "extra", "status"),
    [
        ("/v/{serial}?utm_source=zalo", {}, 200),
        ("/v/{serial}", {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=nosuchsession"}, 200),
        ("/v/{serial}", {"HTTP_COOKIE": "messages=x"}, 200),
        ("/v/{serial}", {"HTTP_HOST": "evil.example"}, 400),
        ("/v/{serial}", {"method": "POST"}, 403),  # CSRF refuses it before the view's 405
        ("/v/1000ABCDEFGHJKMNPQR", {}, 404),
        ("/v/not-a-serial", {}, 404),
    ],
)
def test_what_django_answers(batch, warm, path, extra, status):
    client = WSGIClient()
    warm(client)
    answer = client.get(path.format(serial=serial_of(batch, 4)), **extra)

    assert (answer.status_code, answer.via_django) == (status, True)


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_gets_djangos_redirect(batch, warm):
    client = WSGIClient()
    warm_secure = client.get(f"/v/{serial_of(batch, 1)}", secure=True)
    answer = client.get(f"/v/{serial_of(batch, 2)}")

    assert warm_secure.status_code == 200
    assert (answer.status_code, answer.via_django) == (301, True)


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_headers_are_replayed_under_the_scheme_they_were_captured(batch, warm):
    client = WSGIClient()
    warm(client)  # captured over http: no HSTS

    first_https = client.get(f"/v/{serial_of(batch, 2)}", secure=True)
    second_https = client.get(f"/v/{serial_of(batch, 3)}", secure=True)
    http = client.get(f"/v/{serial_of(batch, 4)}")

    assert (first_https.via_django, second_https.via_django) == (True, False)
    assert second_https["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in http.headers


def test_a_failing_fast_path_leaves_the_answer_to_django(batch, warm, monkeypatch):
    client = WSGIClient()
    warm(client)

    def broken(request):
        raise RuntimeError("cache server gone")

    monkeypatch.setattr(fastpath, "eligible", broken)
    answer = client.get(f"/v/{serial_of(batch, 5)}")
    monkeypatch.undo()
    scanbuffer.flush()

    assert (answer.status_code, answer.via_django) == (200, True)
    assert Scan.objects.filter(serial=serial_of(batch, 5)).count() == 1


def test_a_revoked_certificate_is_seen_at_once(
    batch, warm, vinh_long_officer, django_capture_on_commit_callbacks
):
    import datetime

    from ocop.certificates.domain import revoke_certificate
    from ocop.certificates.enums import RevocationGround
    from ocop.core.dates import today

    client = WSGIClient()
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(
            batch.certificate,
            actor=vinh_long_officer,
            ground=RevocationGround.LAW_VIOLATION,
            decision_number="57/QĐ-UBND",
            concluded_on=today() - datetime.timedelta(days=1),
            revoked_on=today() - datetime.timedelta(days=1),
        )

    rendered = client.get(f"/v/{serial_of(batch, 2)}")
    fast = client.get(f"/v/{serial_of(batch, 3)}")

    assert (rendered.via_django, fast.via_django) == (True, False)
    assert 'data-status="revoked"' in rendered.text and 'data-status="revoked"' in fast.text


def _snapshot(client):
    """Every key of the shared cache with its value (strings, hashes, bitmaps alike)."""
    return {key: client.dump(key) for key in sorted(client.keys("*"))}


def test_a_declining_fast_path_writes_nothing(batch, warm, redis_cache):  # noqa: F811
    """Headers captured over http, a request over https: the fast path's round trip declines and
    leaves the shared cache as it was (no token taken, nothing counted); the view answers alone."""
    client = WSGIClient()
    warm(client)
    from django.test import RequestFactory

    from ocop.catalog.views import verify

    before = _snapshot(redis_cache)
    request = RequestFactory().get(f"/v/{serial_of(batch, 2)}", secure=True)

    assert verify.fast(request, serial_of(batch, 2)) is None
    assert _snapshot(redis_cache) == before


@pytest.mark.parametrize("secure", [False, True])
def test_a_scan_is_counted_and_logged_once_whoever_answers(batch, warm, secure):
    """Over http the fast path answers; over https (headers captured over http) it declines after its
    round trip and Django's view answers: either way one scan row and a count raised by one."""
    client = WSGIClient()
    warm(client)
    serial = serial_of(batch, 6)
    first = client.get(f"/v/{serial}", REMOTE_ADDR="10.0.0.1")
    second = client.get(f"/v/{serial}", REMOTE_ADDR="10.0.0.2", secure=secure)
    scanbuffer.flush()

    assert (first.via_django, second.via_django) == (False, secure)
    assert (_scans(first), _scans(second)) == (1, 2)
    assert Scan.objects.filter(serial=serial).count() == 2


def test_a_count_read_from_the_database_is_counted_once(batch, warm, redis_cache):  # noqa: F811
    """A serial whose shared count expired: the fast path declines (the count is in the database),
    the view reads it and counts this scan once."""
    client = WSGIClient()
    warm(client)
    serial = serial_of(batch, 8)
    client.get(f"/v/{serial}", REMOTE_ADDR="10.0.0.1")
    scanbuffer.flush()
    from ocop.stamps import shared

    redis_cache.delete(shared.count_key(serial))  # expired

    again = client.get(f"/v/{serial}", REMOTE_ADDR="10.0.0.2")
    scanbuffer.flush()

    assert again.via_django is True
    assert _scans(again) == 2
    assert Scan.objects.filter(serial=serial).count() == 2


def test_a_release_with_other_headers_never_replays_the_old_ones(batch, warm):
    """The cached page's key carries the release fingerprint (ocop/core/release.py): after a deploy
    that changes the CSP, the first request is rendered by Django with the new header, the next one
    replayed with it."""
    client = WSGIClient()
    warm(client)
    old = client.get(f"/v/{serial_of(batch, 2)}")
    csp = {**settings.SECURE_CSP, "img-src": ["'self'"]}
    with override_settings(SECURE_CSP=csp):
        rendered = client.get(f"/v/{serial_of(batch, 3)}")
        replayed = client.get(f"/v/{serial_of(batch, 4)}")

    assert (old.via_django, rendered.via_django, replayed.via_django) == (False, True, False)
    assert "tile.openstreetmap.org" in old["Content-Security-Policy"]
    assert "tile.openstreetmap.org" not in rendered["Content-Security-Policy"]
    assert re.sub(r"nonce-[^']+", "", rendered["Content-Security-Policy"]) == re.sub(
        r"nonce-[^']+", "", replayed["Content-Security-Policy"]
    )
