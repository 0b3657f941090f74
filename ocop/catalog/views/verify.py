"""The public verify page: what a stamp's or certificate's QR code opens. No login, mobile first.

A forged serial is answered without touching the database. For a genuine one, the page of its batch
(verdict, product, producer…) is rendered once per (batch version, language, day) and kept in the
shared cache with placeholders for what belongs to the request (the serial, the "already checked N
times" line, the path in the language link); with Redis, one round trip (`shared.hot`) checks the client's token
bucket, fetches that page and counts the scan, and the scan row goes to the per-process buffer: no
SQL in the common case. Every committed change to what the page shows bumps the batch's version."""

import functools
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET

from ocop.catalog import pagecache
from ocop.core import fastpath
from ocop.core.dates import today
from ocop.registry.enums import ProductSet
from ocop.stamps import conf, ratelimit, shared
from ocop.stamps.enums import Verdict
from ocop.stamps.printing import gtin14
from ocop.stamps.scans import buffering, record_scan
from ocop.stamps.serials import grouped, looks_like_serial, parse_serial
from ocop.stamps.verification import resolve, unknown

log = logging.getLogger(__name__)

TEMPLATE = "catalog/verify/page.html"
SERIAL_PLACEHOLDER = "__OCOP_VERIFY_SERIAL__"
SCANS_PLACEHOLDER = "__OCOP_VERIFY_SCANS__"
# Under /v/ so that the public menu marks "check a product" as the current page, as in a full render.
PATH_PLACEHOLDER = "/v/__OCOP_VERIFY_PATH__"


def _limited(request):
    response = render(request, "catalog/verify/limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def form(request):
    code = "".join((request.GET.get("code") or "").split())[:60]
    if code and "/" not in code:
        return redirect(reverse("verify:code", args=[code]))
    if code:
        # A decision number (1520/QĐ-UBND) is shared by many products; a certificate number or a
        # serial never has a "/" (architecture §6), and /v/<code> could not carry one.
        message = gettext(
            "“%(code)s” looks like a decision number. Enter the certificate number or the serial "
            "printed under the stamp's QR code."
        ) % {"code": code}
        return render(request, "catalog/verify/form.html", {"code": code, "error": message}, status=400)
    return render(request, "catalog/verify/form.html")


def _cacheable(request):
    """Anonymous visitors without a session or messages share the batch's rendered page."""
    if request.GET or "messages" in request.COOKIES:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated


def _serial(code):
    code = (code or "").strip()[:60]
    return parse_serial(code) if looks_like_serial(code) else None


def _hot(request, serial, day, fast_scheme=""):
    """The single shared-cache round trip (None without Redis). The fast path's call (`fast_scheme`)
    takes no token and counts nothing unless it can answer (shared.HOT), so the view's own call never
    counts twice."""
    redis = shared.client()
    if redis is None:
        return None
    return shared.hot(
        redis,
        bucket=ratelimit.bucket_key(request),
        rate=conf.get("VERIFY_RATE_PER_MINUTE"),
        burst=conf.get("VERIFY_BURST"),
        batch_id=serial.batch_id if serial else None,
        language=get_language(),
        day=day,
        serial=serial.text if serial else None,
        index=serial.index if serial else None,
        client=ratelimit.client_key(request),
        fast_scheme=fast_scheme,
    )


def _scan(request, serial, status, hot):
    try:
        count, first = record_scan(
            serial.text, batch_id=serial.batch_id, verdict=status, request=request, hot=hot
        )
    except DatabaseError:  # the scan log must never take the verdict down
        log.exception("scan not recorded")
        return None
    return {"count": count, "first": first, "many": count > conf.get("STAMP_SCAN_LIMIT")}


FIRST_CHECK = "This is the first check of this code."
CHECKED_BEFORE = (
    "This code has already been checked %(n)s time, first on %(first)s.",
    "This code has already been checked %(n)s times, first on %(first)s.",
)
COPIED_WARNING = "A code checked this often may have been copied onto other packs: buy from a trusted seller."


@functools.lru_cache(maxsize=16)
def _phrases(language):
    """The fixed sentences of the scan line in `language` (the active one), escaped once."""
    return conditional_escape(gettext(FIRST_CHECK)) + "\n  ", "<br>" + conditional_escape(
        gettext(COPIED_WARNING)
    )


@functools.lru_cache(maxsize=1024)
def _checked_before(language, n):
    return ngettext(*CHECKED_BEFORE, n)


def scan_line(scans):
    """The page's `scans` partial, in Python (a template render costs more than the rest of a cached
    hit); tests compare it with the partial for every branch."""
    if not scans:
        return ""
    count, many = scans["count"], scans["many"]
    language = get_language()
    first_check, warning = _phrases(language)
    if count == 1:
        text = first_check
    else:
        # The template's `date:"d/m/Y H:i"`, without the generic formatter.
        first = localtime(scans["first"]).strftime("%d/%m/%Y %H:%M")
        text = _checked_before(language, count - 1) % {
            "n": conditional_escape(localize(count - 1)),
            "first": first,
        }
    return (
        f'\n<p class="scan-info{" scan-warn" if many else ""}" data-scans="{conditional_escape(localize(count))}">'
        f"\n  {text}\n  {warning if many else ''}\n</p>\n"
    )


def _filled(request, cached, serial, scans):
    """The batch's cached page with this request's serial, scan line and path."""
    return (
        cached.replace(SCANS_PLACEHOLDER, scan_line(scans), 1)
        .replace(SERIAL_PLACEHOLDER, escape(grouped(serial.text)), 1)
        .replace(PATH_PLACEHOLDER, escape(urlencode(request.get_full_path())))
    )


def _personalised(request, cached, serial, scans):
    """The batch's cached page with this request's serial, scan line, path, CSRF token and nonce."""
    return _headers(HttpResponse(pagecache.personalise(request, _filled(request, cached, serial, scans))))


def _unpack(page):
    """A cached batch page: (verdict, stamps in the batch, headers to replay or "", HTML)."""
    head, headers, html = page.split("\n", 2)
    status, quantity = head.split("|")
    return status, int(quantity), headers, html


def fast(request, code):
    """The fast path's answer for `/v/<serial>` (ocop/core/fastpath.py): the cached page of a genuine
    serial's batch with the scan counted and buffered, in one Redis round trip and no SQL; None to let
    Django answer (no Redis or no scan buffer, not a serial, rate limited, page not cached yet or not
    replayable under this scheme, a count to read from the database). The round trip decides and
    takes no token and counts nothing when it declines, so the view that answers instead counts the scan itself: nothing
    is handed from here to the view."""
    serial = _serial(code)
    if serial is None or shared.client() is None or not buffering():
        return None
    day = today()
    hot = _hot(request, serial, day, fast_scheme=request.scheme)
    if not hot.allowed or hot.declined:
        return None
    status, _quantity, headers, html = _unpack(hot.page)
    replay = fastpath.replayable(request, headers, html)
    if replay is None:  # the script checked what makes a page replayable: a stored page we cannot read
        log.error("fast path: page of batch %s accepted by the script but not replayable", serial.batch_id)
        return None  # Django answers (the scan is logged once, by the view; its count is one too high)
    return fastpath.answer(replay, _filled(request, html, serial, _scan(request, serial, status, hot)))


def _headers(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    # The page differs for a signed-in visitor: say so whether or not this request read the session.
    patch_vary_headers(response, ("Cookie",))
    return response


def _context(answer, scans, day):
    return {
        "answer": answer,
        "facts": answer.get("facts") or {},
        "scans": scans,
        "today": day,
        "menu_current": "verify:form",  # /v/<serial> and /01/<gtin>/21/<serial> alike, cached or not
        # The set the product was evaluated under (its rubric's decision); facts cached before that key
        # existed fall back to today's list.
        "product_set": (
            answer["facts"].get("product_set_name") or ProductSet(answer["facts"]["product_set"]).label
            if answer.get("facts")
            else ""
        ),
    }


@require_GET
def page(request, code, gtin=None):
    day = today()
    serial = _serial(code)
    hot = _hot(request, serial, day)
    if hot is not None:
        if not hot.allowed:
            return _limited(request)
    elif not ratelimit.allow(request):
        return _limited(request)
    cacheable = serial is not None and gtin is None and _cacheable(request)
    key = None
    if cacheable:
        version = hot.version if hot is not None else shared.batch_version(serial.batch_id)
        key = shared.page_key(serial.batch_id, version, get_language(), day)
        cached = hot.page if hot is not None else shared.get_page(key)
        if cached is not None:
            status, quantity, stored, html = _unpack(cached)
            if serial.index < quantity:
                response = _personalised(request, html, serial, _scan(request, serial, status, hot))
                return fastpath.store_again_unless_replayable(
                    request, response, stored, html, _store(key, f"{status}|{quantity}", html)
                )
    answer, serial = resolve(code, day, version=hot.version if hot is not None else None)
    if gtin is not None and answer.get("facts") and gtin14(answer["facts"]["gtin"]) != gtin14(gtin):
        answer, serial = unknown(serial.text if serial else code), None
    scans = _scan(request, serial, answer["status"], hot) if serial is not None else None
    status = 404 if answer["status"] == Verdict.UNKNOWN else 200
    if not (cacheable and status == 200 and serial is not None):
        return _headers(render(request, TEMPLATE, _context(answer, scans, day), status=status))
    context = _context({**answer, "serial_grouped": SERIAL_PLACEHOLDER}, scans, day)
    context.update(
        scans_placeholder=SCANS_PLACEHOLDER,
        csrf_token=pagecache.CSRF_PLACEHOLDER,
        csp_nonce=pagecache.NONCE_PLACEHOLDER,
        # base.html writes the path into the language link (`next_path`, else the request's): a
        # placeholder, filled per request (a test compares with a full render).
        next_path=PATH_PLACEHOLDER,
    )
    html = render_to_string(TEMPLATE, context, request=request)
    response = _personalised(request, html, serial, scans)
    head = f"{answer['status']}|{answer['facts']['quantity']}"
    # Stored once the middlewares have added their headers (for the fast path to replay).
    return fastpath.defer_store(request, response, _store(key, head, html))


def _store(key, head, html):
    """How to cache the batch's page, given the headers to replay (`fastpath.capture`; none when the
    page holds a CSRF token, which needs a cookie: the fast path's script then declines it)."""

    def store(headers):
        replayable = headers if headers and fastpath.CSRF_PLACEHOLDER not in html else ""
        shared.put_page(key, f"{head}\n{replayable}\n{html}")

    return store


@require_GET
def gs1(request, gtin, serial):
    """GS1 Digital Link: /01/<GTIN>/21/<serial>. The GTIN must be the product's."""
    return page(request, serial, gtin=gtin)
