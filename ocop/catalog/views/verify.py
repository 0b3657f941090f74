"""The public verify page: what a stamp's or certificate's QR code opens. No login, mobile first.

A forged serial is answered without touching the database. For a genuine one, the page of its batch
(verdict, product, producer…) is rendered once per (batch version, language, day) and kept in the
shared cache with placeholders for what belongs to the request (the serial, the "already checked N
times" line, the path in the language link); with Redis, one round trip (`shared.hot`) checks the client's token
bucket, fetches that page and counts the scan, and the scan row goes to the per-process buffer: no
SQL in the common case. Every committed change to what the page shows bumps the batch's version."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET

from ocop.catalog import pagecache
from ocop.core.dates import today
from ocop.registry.enums import ProductSet
from ocop.stamps import conf, ratelimit, shared
from ocop.stamps.enums import Verdict
from ocop.stamps.printing import gtin14
from ocop.stamps.scans import record_scan
from ocop.stamps.serials import grouped, looks_like_serial, parse_serial
from ocop.stamps.verification import resolve, unknown

log = logging.getLogger(__name__)

TEMPLATE = "catalog/verify/page.html"
SERIAL_PLACEHOLDER = "__OCOP_VERIFY_SERIAL__"
SCANS_PLACEHOLDER = "__OCOP_VERIFY_SCANS__"
PATH_PLACEHOLDER = "/__OCOP_VERIFY_PATH__"


def _limited(request):
    response = render(request, "catalog/verify/limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def form(request):
    code = (request.GET.get("code") or "").strip()
    if code:
        return redirect(reverse("verify:code", args=["".join(code.split())[:60]]))
    return render(request, "catalog/verify/form.html")


def _cacheable(request):
    """Anonymous visitors without a session or messages share the batch's rendered page."""
    if request.GET or "messages" in request.COOKIES:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated


def _serial(code):
    code = (code or "").strip()[:60]
    return parse_serial(code) if looks_like_serial(code) else None


def _hot(request, serial, day):
    """The single shared-cache round trip (None without Redis)."""
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


def scan_line(scans):
    """The page's `scans` partial, in Python (a template render costs more than the rest of a cached
    hit); tests compare it with the partial for every branch."""
    if not scans:
        return ""
    count, many = scans["count"], scans["many"]
    if count == 1:
        text = conditional_escape(gettext("This is the first check of this code.")) + "\n  "
    else:
        first = dateformat.format(localtime(scans["first"]), "d/m/Y H:i")
        text = ngettext(
            "This code has already been checked %(n)s time, first on %(first)s.",
            "This code has already been checked %(n)s times, first on %(first)s.",
            count - 1,
        ) % {"n": conditional_escape(localize(count - 1)), "first": conditional_escape(first)}
    warn = (
        "<br>"
        + conditional_escape(
            gettext(
                "A code checked this often may have been copied onto other packs: buy from a trusted seller."
            )
        )
        if many
        else ""
    )
    return (
        f'\n<p class="scan-info{" scan-warn" if many else ""}" data-scans="{conditional_escape(localize(count))}">'
        f"\n  {text}\n  {warn}\n</p>\n"
    )


def _personalised(request, cached, serial, scans):
    """The batch's cached page with this request's serial, scan line, path and CSRF token."""
    scans_html = scan_line(scans)
    html = (
        cached.replace(SCANS_PLACEHOLDER, scans_html, 1)
        .replace(SERIAL_PLACEHOLDER, escape(grouped(serial.text)), 1)
        .replace(PATH_PLACEHOLDER, escape(urlencode(request.get_full_path())))
    )
    if pagecache.CSRF_PLACEHOLDER in html or pagecache.NONCE_PLACEHOLDER in html:
        html = pagecache.personalise(request, html)
    return _headers(HttpResponse(html))


def _headers(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _context(answer, scans, day):
    return {
        "answer": answer,
        "facts": answer.get("facts") or {},
        "scans": scans,
        "today": day,
        "product_set": ProductSet(answer["facts"]["product_set"]).label if answer.get("facts") else "",
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
            head, html = cached.split("\n", 1)
            status, quantity = head.split("|")
            if serial.index < int(quantity):
                return _personalised(request, html, serial, _scan(request, serial, status, hot))
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
    )
    # base.html writes the request's path (`request.get_full_path|urlencode`) into the language link:
    # rendered with a placeholder path, filled per request (a test compares with a full render).
    path = request.path
    request.path = PATH_PLACEHOLDER
    try:
        html = render_to_string(TEMPLATE, context, request=request)
    finally:
        request.path = path
    shared.put_page(key, f"{answer['status']}|{answer['facts']['quantity']}\n{html}")
    return _personalised(request, html, serial, scans)


@require_GET
def gs1(request, gtin, serial):
    """GS1 Digital Link: /01/<GTIN>/21/<serial>. The GTIN must be the product's."""
    return page(request, serial, gtin=gtin)
