"""Cached public pages answered in front of Django's request handler.

The two most visited pages, the stamp verify page (`/v/<serial>`: every scan of every pack) and the
product page, are cached whole for anonymous visitors. Under gunicorn, Django's handler and its
fifteen middlewares (sessions, CSRF, authentication, OTP, messages, axes…) cost more than such a hit
itself, and none of them has anything to do for it: no session, no form, no user. `FastPath` wraps
the WSGI application (ocop/wsgi.py, so gunicorn and runserver alike) and gives each route of
settings.FASTPATH_ROUTES the chance to answer a plain anonymous GET from the shared cache; anything a
route does not answer (a miss, a forged serial, a visitor with a session, a query string, an error…)
goes to Django as usual.

A fast answer must be the answer Django would have given. The headers the middlewares add (CSP,
X-Frame-Options, Referrer-Policy, Vary, Content-Language, HSTS…) are not rebuilt here: when Django
renders a cacheable page, `CaptureHeadersMiddleware` (first in MIDDLEWARE) takes the final
response's headers on the way out (`defer_store`) and the page is stored with them; a fast answer
replays them, with a fresh CSP nonce in both the header and the HTML. Tests compare fast answers
with Django's, header by header; the capture refuses any response that sets a cookie. Every
middleware is listed in MIRRORED_MIDDLEWARE with what the fast path does in its place, and a test
fails when MIDDLEWARE changes without that review. The cached pages' keys carry the release
fingerprint (ocop/core/release.py), so a deploy that changes a header setting or a template never
replays the previous release's headers or HTML.

Conditions for a fast answer (else Django runs): GET, no query string, no session or messages cookie,
a host in ALLOWED_HOSTS, no HTTPS redirect due, and headers captured under the same scheme (HSTS is
only sent over HTTPS). The language is chosen as LocaleMiddleware does (cookie, then
Accept-Language). Route handlers never touch the database: whatever needs it is left to the view."""

import functools
import json
import logging
import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation
from django.utils.csp import LazyNonce
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# Every middleware of settings.MIDDLEWARE, with what a fast answer does in its place. A test
# (tests/core/test_fastpath.py) fails when MIDDLEWARE differs from this list: a middleware added or
# removed must be reviewed here first (does it add a header, a cookie, a redirect, a refusal?).
MIRRORED_MIDDLEWARE = {
    "ocop.core.fastpath.CaptureHeadersMiddleware": "captures the final headers the fast path replays",
    "django.middleware.security.SecurityMiddleware": "headers captured (HSTS per scheme: `replayable`); "
    "an HTTPS redirect due leaves the request to Django (`eligible`)",
    "whitenoise.middleware.WhiteNoiseMiddleware": "static files only: not a fast route",
    "django.contrib.sessions.middleware.SessionMiddleware": "a session cookie leaves the request to Django",
    "django.middleware.locale.LocaleMiddleware": "language chosen as it does (`_try`); "
    "Content-Language and Vary captured per language",
    "django.middleware.common.CommonMiddleware": "routes match only canonical paths (no slash redirect)",
    "django.middleware.csrf.CsrfViewMiddleware": "GET only; a page holding a CSRF token is never replayed",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "anonymous only (no session cookie)",
    "django_otp.middleware.OTPMiddleware": "anonymous only",
    "ocop.accounts.middleware.MustChangePasswordMiddleware": "anonymous only",
    "django.contrib.messages.middleware.MessageMiddleware": "a messages cookie leaves the request to Django",
    "ocop.accounts.otp.SecondFactorMiddleware": "anonymous only",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "header captured",
    "django.middleware.csp.ContentSecurityPolicyMiddleware": "header captured, fresh nonce per answer",
    "django_htmx.middleware.HtmxMiddleware": "adds no header to these pages",
    "ocop.core.middleware.DatabaseUnavailableMiddleware": "fast answers read no database",
    "ocop.dbrouter.ReplicaMiddleware": "fast answers read no database",
    "axes.middleware.AxesMiddleware": "login attempts only (POST)",
}

NONCE_PLACEHOLDER = "__OCOP_CSP_NONCE__"
CSRF_PLACEHOLDER = "__OCOP_CSRF_TOKEN__"
# Never replayed: recomputed for each answer, or a sign that the response is not for everyone.
_SKIPPED = {"content-length", "set-cookie"}


class FastPath:
    """WSGI middleware: the routes' fast answers, else the wrapped (Django) application."""

    def __init__(self, application):
        self.application = application

    @functools.cached_property
    def routes(self):
        return [
            (re.compile(pattern), import_string(handler)) for pattern, handler in settings.FASTPATH_ROUTES
        ]

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            path = environ.get("PATH_INFO", "")
            for pattern, handler in self.routes:
                match = pattern.match(path)
                if match is not None:
                    answer = _try(handler, environ, match.groupdict())
                    if answer is not None:
                        status, headers, body = answer
                        start_response(status, headers)
                        return [body]
                    break
        return self.application(environ, start_response)


def _try(handler, environ, kwargs):
    request = WSGIRequest(environ)
    try:
        if not eligible(request):
            return None
        with translation.override(translation.get_language_from_request(request)):
            return handler(request, **kwargs)
    except Exception:  # Django answers instead; nothing a handler does must take the page down
        log.exception("fast path failed for %s", request.path)
        return None


def eligible(request):
    """An anonymous plain GET that Django's stack would answer without redirecting or refusing."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


class CaptureHeadersMiddleware:
    """First in MIDDLEWARE: hands a freshly rendered cacheable page's final headers (everything the
    other middlewares added) to the store callback its view registered with `defer_store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.fastpath_capture = True
        response = self.get_response(request)
        store = getattr(response, "fastpath_store", None)
        if store is not None:
            store(capture(request, response))
        return response


def store_again_unless_replayable(request, response, stored, html, store):
    """For a view serving a cached page itself: store it again (`defer_store`) when its stored headers
    cannot be replayed for a request like this one (none captured yet, or under the other scheme), so
    the fast path can answer the next one."""
    if replayable(request, stored, html) is None:
        defer_store(request, response, store)
    return response


def defer_store(request, response, store):
    """Store a freshly rendered cacheable page: `store(headers)` is called with the headers to replay
    (a JSON text, or None when the response must not be replayed) once every middleware has added
    its own; at once with None when the capture middleware is not installed."""
    if getattr(request, "fastpath_capture", False):
        response.fastpath_store = store
    else:
        store(None)
    return response


def capture(request, response):
    """The final response's headers, as a JSON text to store with the page, or None when the response
    must not be replayed (not 200, or it sets a cookie)."""
    if response.status_code != 200 or response.cookies:
        return None
    nonce = getattr(request, "_csp_nonce", None)
    used = bool(nonce)  # a LazyNonce is true once generated, i.e. once the page or header used it
    headers = []
    for name, value in response.items():
        if name.lower() in _SKIPPED:
            continue
        if used:
            value = value.replace(str(nonce), NONCE_PLACEHOLDER)
        headers.append((name, value))
    return json.dumps({"secure": request.is_secure(), "headers": headers}, separators=(",", ":"))


@functools.lru_cache(maxsize=256)
def _parsed(stored):
    data = json.loads(stored)
    headers = tuple((str(name), str(value)) for name, value in data["headers"])
    return bool(data.get("secure")), headers, any(NONCE_PLACEHOLDER in value for _, value in headers)


def replayable(request, stored, html):
    """The stored headers (from `capture`) when a cached page with this HTML can be answered here,
    else None: no headers stored, headers captured under the other scheme (Django answers, and its
    capture replaces them), or a page holding a CSRF token (which needs a cookie)."""
    if not stored or CSRF_PLACEHOLDER in html:
        return None
    try:
        secure, headers, nonce_in_headers = _parsed(stored)
    except (ValueError, KeyError, TypeError):
        return None
    return (headers, nonce_in_headers) if secure == request.is_secure() else None


def answer(replay, html):
    """The WSGI answer (status, headers, body) for a cached page with the `replayable` headers and a
    fresh CSP nonce, in the header and the HTML alike."""
    headers, nonce_in_headers = replay
    if nonce_in_headers or NONCE_PLACEHOLDER in html:
        nonce = str(LazyNonce())
        html = html.replace(NONCE_PLACEHOLDER, nonce)
        headers = tuple((name, value.replace(NONCE_PLACEHOLDER, nonce)) for name, value in headers)
    body = html.encode()
    return "200 OK", [*headers, ("Content-Length", str(len(body)))], body
