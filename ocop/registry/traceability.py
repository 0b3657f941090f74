"""Traceability facts of a product (growing-area and facility codes): recorded and removed by the
office, one domain function each (permission, transaction, one ActivityLog row, published: the product
page and the verify pages show them)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, NotAllowed
from ocop.core.permissions import require
from ocop.core.publication import publish

from .models import TraceCode


@transaction.atomic
def add_trace_code(product, *, actor, kind, code, issuer, issued_on, valid_until=None, note=""):
    require(actor, "registry.manage_trace_codes", product, refusal=NotAllowed)
    code, issuer = (code or "").strip(), (issuer or "").strip()
    if kind not in TraceCode.Kind.values:
        raise DomainError(_("Choose the kind of code."), code="bad_kind", status=422)
    if not code or not issuer or issued_on is None:
        raise DomainError(
            _("Enter the code, the body that issued it and the date of issue."), code="incomplete", status=422
        )
    if valid_until is not None and valid_until < issued_on:
        raise DomainError(_("The code cannot expire before it was issued."), code="bad_dates", status=422)
    try:
        with transaction.atomic():
            trace = TraceCode.objects.create(
                product=product,
                kind=kind,
                code=code,
                issuer=issuer,
                issued_on=issued_on,
                valid_until=valid_until,
                note=(note or "").strip()[:255],
            )
    except IntegrityError:
        raise DomainError(_("This code is already recorded for the product."), code="duplicate") from None
    log_activity(
        product,
        "registry.trace_code.added",
        actor=actor,
        data={
            "kind": kind,
            "code": code,
            "issuer": issuer,
            "issued_on": issued_on,
            "valid_until": valid_until,
        },
    )
    publish(trace)  # shown on the product page and the verify pages
    return trace


@transaction.atomic
def remove_trace_code(trace, *, actor, reason=""):
    product = trace.product
    require(actor, "registry.manage_trace_codes", product, refusal=NotAllowed)
    data = {"kind": trace.kind, "code": trace.code, "issuer": trace.issuer, "reason": reason}
    trace.delete()
    log_activity(product, "registry.trace_code.removed", actor=actor, data=data)
    publish(trace, products=[product.pk])
