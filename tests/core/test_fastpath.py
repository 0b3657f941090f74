"""The fast path's routes and the requests it may answer (ocop/core/fastpath.py)."""

import json
import re

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import resolve

from ocop.catalog.views import product, verify
from ocop.core import fastpath

pytestmark = pytest.mark.unit

ROUTES = {handler: re.compile(pattern) for pattern, handler in settings.FASTPATH_ROUTES}
VIEWS = {
    "ocop.catalog.views.verify.fast": verify.page,
    "ocop.catalog.views.product.fast": product.product_detail,
}


@pytest.mark.parametrize(
    ("path", "handler"),
    [
        ("/v/10002ZF23Q8QMPKQMAX", "ocop.catalog.views.verify.fast"),
        ("/V/10002ZF23Q8QMPKQMAX", "ocop.catalog.views.verify.fast"),
        ("/v/86-000123-2025", "ocop.catalog.views.verify.fast"),
        ("/products/12/keo-dua-sap/", "ocop.catalog.views.product.fast"),
    ],
)
def test_each_route_matches_only_paths_of_its_view(path, handler):
    match = resolve(path)
    assert match.func == VIEWS[handler]
    assert [h for h, pattern in ROUTES.items() if pattern.match(path)] == [handler]


@pytest.mark.parametrize(
    "path",
    [
        "/v/",
        "/v/ABC/extra",
        "/products/12/",
        "/products/12/keo-dua/extra/",
        "/products/x/keo-dua/",
        "/01/08935049500018/21/10002ZF23Q8QMPKQMAX",
        "/office/v/ABC",
        "/bench/trivial",
    ],
)
def test_other_paths_are_left_to_django(path):
    assert not any(pattern.match(path) for pattern in ROUTES.values())


def _request(**extra):
    return RequestFactory().get("/v/X", **extra)


def test_anonymous_get_is_eligible():
    assert fastpath.eligible(_request()) is True


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_HOST": "evil.example"},
    ],
)
def test_sessions_messages_and_foreign_hosts_are_not(extra):
    assert fastpath.eligible(_request(**extra)) is False


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_not_when_https_redirect_is_on():
    assert fastpath.eligible(_request()) is False
    assert fastpath.eligible(_request(secure=True)) is True


def test_stored_headers_replay_only_under_their_scheme_and_without_csrf_tokens():
    stored = '{"secure":false,"headers":[["Content-Type","text/html; charset=utf-8"]]}'
    assert fastpath.replayable(_request(), stored, "<p>ok</p>") is not None
    assert fastpath.replayable(_request(secure=True), stored, "<p>ok</p>") is None
    assert fastpath.replayable(_request(), stored, f"<input value='{fastpath.CSRF_PLACEHOLDER}'>") is None
    assert fastpath.replayable(_request(), "", "<p>ok</p>") is None
    assert fastpath.replayable(_request(), "not json", "<p>ok</p>") is None


def test_answer_puts_one_fresh_nonce_in_header_and_body():
    policy = f"script-src 'nonce-{fastpath.NONCE_PLACEHOLDER}'"
    stored = json.dumps({"secure": False, "headers": [["Content-Security-Policy", policy]]})
    replay = fastpath.replayable(_request(), stored, "x")
    html = f'<script nonce="{fastpath.NONCE_PLACEHOLDER}"></script>'

    first, second = fastpath.answer(replay, html), fastpath.answer(replay, html)

    nonce = re.search(r"nonce-([^']+)'", dict(first[1])["Content-Security-Policy"]).group(1)
    assert first[2] == f'<script nonce="{nonce}"></script>'.encode()
    assert dict(first[1])["Content-Length"] == str(len(first[2]))
    assert dict(second[1])["Content-Security-Policy"] != dict(first[1])["Content-Security-Policy"]


def test_every_middleware_is_mirrored_by_the_fast_path():
    # A middleware added to (or removed from) settings.MIDDLEWARE must first be reviewed in
    # fastpath.MIRRORED_MIDDLEWARE: does a fast answer need to do what it does?
    assert list(settings.MIDDLEWARE) == list(fastpath.MIRRORED_MIDDLEWARE)


def test_the_release_fingerprint_moves_with_header_settings_and_templates(monkeypatch):
    from ocop.core import release

    before = release.fingerprint()
    with override_settings(SECURE_REFERRER_POLICY="no-referrer"):
        changed = release.fingerprint()
    assert release.fingerprint() == before != changed

    monkeypatch.setenv("OCOP_RELEASE", "next")
    release._settings_digest.cache_clear()
    assert release.fingerprint() != before
    monkeypatch.delenv("OCOP_RELEASE")
    release._settings_digest.cache_clear()

    files = release._files()
    assert any(p.name == "base.html" for p in files)
    assert any(p.suffix == ".mo" for p in files)
