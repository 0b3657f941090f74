"""The public verify page: what a stamp's or certificate's QR code opens. No login, mobile first.

A forged serial is answered without touching the database; a genuine one reads its batch's facts
(cached) and appends one row to the scan log."""

import logging

from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ocop.core.dates import today
from ocop.registry.enums import ProductSet
from ocop.stamps import conf, ratelimit
from ocop.stamps.enums import Verdict
from ocop.stamps.printing import gtin14
from ocop.stamps.scans import record_scan
from ocop.stamps.verification import resolve, unknown

log = logging.getLogger(__name__)

TEMPLATE = "catalog/verify/page.html"


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


@require_GET
def page(request, code, gtin=None):
    if not ratelimit.allow(request):
        return _limited(request)
    day = today()
    answer, serial = resolve(code, day)
    if gtin is not None and answer.get("facts") and gtin14(answer["facts"]["gtin"]) != gtin14(gtin):
        answer, serial = unknown(serial.text if serial else code), None
    scans = None
    if serial is not None:
        try:
            count, first = record_scan(
                serial.text, batch_id=serial.batch_id, verdict=answer["status"], request=request
            )
            scans = {"count": count, "first": first, "many": count > conf.get("STAMP_SCAN_LIMIT")}
        except DatabaseError:  # the scan log must never take the verdict down
            log.exception("scan not recorded")
    context = {
        "answer": answer,
        "facts": answer.get("facts") or {},
        "scans": scans,
        "today": day,
        "product_set": ProductSet(answer["facts"]["product_set"]).label if answer.get("facts") else "",
    }
    status = 404 if answer["status"] == Verdict.UNKNOWN else 200
    response = render(request, TEMPLATE, context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def gs1(request, gtin, serial):
    """GS1 Digital Link: /01/<GTIN>/21/<serial>. The GTIN must be the product's."""
    return page(request, serial, gtin=gtin)
