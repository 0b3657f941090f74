"""Authenticated partner endpoints (`Authorization: Bearer <token>`), scoped to the token's province.

Sync endpoints use cursor pagination: an answer carries `next_cursor`, null on the last page; pass it
back unchanged. Reads carry an ETag; send it back in If-None-Match to get 304 when nothing changed."""

import base64
import binascii
import datetime
import json
from functools import partial

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.errors import DomainError
from ocop.evaluation.models import Dossier
from ocop.geo.queries import scope_q
from ocop.registry.models import Producer, Product
from ocop.registry.privacy import public_producer
from ocop.stamps.models import StampBatch

from ..auth import partner_auth, require_scope
from ..etag import etag_json
from ..models import Scope
from ..schemas import Error

router = Router(tags=["partner"], auth=partner_auth)

ERRORS = {304: None, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
# Household businesses are natural persons: their tax code is a personal identifier.


class PartnerUnit(Schema):
    code: str
    name: str
    map: str


class PartnerProducerOut(Schema):
    id: int
    name: str
    kind: str
    tax_code: str | None
    status: str
    commune: PartnerUnit
    province: PartnerUnit | None
    updated_at: datetime.datetime


class PartnerProducerRef(Schema):
    id: int
    name: str
    kind: str


class PartnerCertificateRef(Schema):
    number: str
    star: int
    potential_5_star: bool
    status: str
    valid_until: datetime.date


class PartnerProductOut(Schema):
    id: int
    name: str
    product_set: int
    gtin: str
    code: str
    status: str
    producer: PartnerProducerRef
    certificate: PartnerCertificateRef | None
    updated_at: datetime.datetime


class PartnerCertificateChange(Schema):
    number: str
    star: int
    potential_5_star: bool
    status: str
    kind: str
    product_id: int
    product_name: str
    producer_id: int
    producer_name: str
    issuer_name: str
    decision_number: str
    decision_date: datetime.date
    issued_on: datetime.date
    valid_until: datetime.date
    revoked_on: datetime.date | None
    suspended_on: datetime.date | None
    superseded_on: datetime.date | None
    updated_at: datetime.datetime


class PartnerProducerPage(Schema):
    items: list[PartnerProducerOut]
    next_cursor: str | None


class PartnerProductPage(Schema):
    items: list[PartnerProductOut]
    next_cursor: str | None


class PartnerCertificatePage(Schema):
    items: list[PartnerCertificateChange]
    next_cursor: str | None


class PartnerListParams(Schema):
    cursor: str | None = Field(None, max_length=200, description="`next_cursor` of the previous page")
    limit: int = Field(100, ge=1, le=500)


class ChangesParams(PartnerListParams):
    since: datetime.datetime | None = None


# Cursors ------------------------------------------------------------------------------------------


def encode_cursor(**values):
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, keys):
    if not cursor:
        return None
    try:
        if len(cursor) > 200:
            raise ValueError
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, dict) or set(values) != set(keys):
            raise ValueError
        return values
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise _invalid_cursor() from exc


def _invalid_cursor():
    return DomainError(
        _("The cursor is not valid; start again without it."), code="invalid_cursor", status=422
    )


def _limit(value):
    if not 1 <= value <= 500:
        raise DomainError(_("limit must be between 1 and 500."), code="invalid_limit", status=422)
    return value


# Scoping ------------------------------------------------------------------------------------------


def producers_of(token):
    qs = Producer.objects.all()
    return qs.filter(scope_q(token.province)) if token.province_id else qs


def products_of(token):
    qs = Product.objects.all()
    return qs.filter(producer__in=producers_of(token)) if token.province_id else qs


def certificates_of(token):
    qs = Certificate.objects.all()
    return qs.filter(product__producer__in=producers_of(token)) if token.province_id else qs


# Serialisation ------------------------------------------------------------------------------------


def _unit(unit):
    return None if unit is None else {"code": unit.code, "name": unit.name, "map": unit.map}


def producer_dict(producer):
    return {
        "id": producer.pk,
        "name": producer.name,
        "kind": producer.kind,
        "tax_code": public_producer(producer)["tax_code"],
        "status": producer.status,
        "commune": _unit(producer.commune),
        "province": _unit(producer.commune.province),
        "updated_at": producer.updated_at,
    }


def _current_certificate(product, day):
    for cert in product.recent_certificates:
        if cert.is_valid_on(day):
            return {
                "number": cert.number,
                "star": cert.star,
                "potential_5_star": cert.potential_5_star,
                "status": cert.status_on(day),
                "valid_until": cert.valid_until,
            }
    return None


def product_dict(product, day):
    producer = product.producer
    return {
        "id": product.pk,
        "name": product.name,
        "product_set": product.product_set,
        "gtin": product.gtin,
        "code": product.code,
        "status": product.status,
        "producer": {"id": producer.pk, "name": producer.name, "kind": producer.kind},
        "certificate": _current_certificate(product, day),
        "updated_at": product.updated_at,
    }


def certificate_dict(cert, day):
    product = cert.product
    return {
        "number": cert.number,
        "star": cert.star,
        "potential_5_star": cert.potential_5_star,
        "status": cert.status_on(day),
        "kind": cert.kind,
        "product_id": product.pk,
        "product_name": product.name,
        "producer_id": product.producer_id,
        "producer_name": product.producer.name,
        "issuer_name": cert.issuer_name,
        "decision_number": cert.decision_number,
        "decision_date": cert.decision_date,
        "issued_on": cert.issued_on,
        "valid_until": cert.valid_until,
        "revoked_on": cert.revoked_on,
        "suspended_on": cert.suspended_on,
        "superseded_on": cert.superseded_on,
        "updated_at": cert.updated_at,
    }


def _products_qs(token):
    return (
        products_of(token)
        .select_related("producer")
        .prefetch_related(
            Prefetch(
                "certificates", Certificate.objects.order_by("-issued_on"), to_attr="recent_certificates"
            )
        )
    )


def _producers_qs(token):
    return producers_of(token).select_related("commune", "commune__province")


def _id_page(request, qs, params, to_dict):
    limit = _limit(params.limit)
    cursor = decode_cursor(params.cursor, ["after"])
    if cursor is not None:
        if not isinstance(cursor["after"], int):
            raise _invalid_cursor()
        qs = qs.filter(pk__gt=cursor["after"])
    return _page(qs.order_by("pk"), limit, to_dict, lambda last: encode_cursor(after=last.pk))


def _page(qs, limit, to_dict, cursor_after):
    """The first `limit` rows of `qs` as items, and the cursor after the last one when more follow."""
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [to_dict(row) for row in rows], "next_cursor": cursor_after(rows[-1]) if more else None}


def _list(request, scope, schema, qs_of, params, to_dict):
    """A page by id of `qs_of(token)` for a token with `scope`, as `schema` with its ETag."""
    token = require_scope(request, scope)
    return etag_json(request, schema, _id_page(request, qs_of(token), params, to_dict))


def _one(request, scope, schema, qs_of, to_dict, **lookup):
    """The record of `qs_of(token)` found by `lookup` (404 outside the token's reach), as `schema`."""
    token = require_scope(request, scope)
    return etag_json(request, schema, to_dict(get_object_or_404(qs_of(token), **lookup)))


# Endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/partner/producers", response={200: PartnerProducerPage, **ERRORS}, operation_id="partner_producers"
)
def list_producers(request, params: Query[PartnerListParams]):
    """Producers in the token's province, by id; `next_cursor` gives the next page."""
    return _list(request, Scope.REGISTRY, PartnerProducerPage, _producers_qs, params, producer_dict)


@router.get(
    "/partner/producers/{producer_id}",
    response={200: PartnerProducerOut, **ERRORS},
    operation_id="partner_producer",
)
def get_producer(request, producer_id: int):
    return _one(request, Scope.REGISTRY, PartnerProducerOut, _producers_qs, producer_dict, pk=producer_id)


@router.get(
    "/partner/products", response={200: PartnerProductPage, **ERRORS}, operation_id="partner_products"
)
def list_products(request, params: Query[PartnerListParams]):
    """Products in the token's province with the certificate in force today (or null)."""
    to_dict = partial(product_dict, day=today())
    return _list(request, Scope.REGISTRY, PartnerProductPage, _products_qs, params, to_dict)


@router.get(
    "/partner/products/{product_id}",
    response={200: PartnerProductOut, **ERRORS},
    operation_id="partner_product",
)
def get_product(request, product_id: int):
    to_dict = partial(product_dict, day=today())
    return _one(request, Scope.REGISTRY, PartnerProductOut, _products_qs, to_dict, pk=product_id)


@router.get(
    "/partner/certificates/changes",
    response={200: PartnerCertificatePage, **ERRORS},
    operation_id="partner_certificate_changes",
)
def certificate_changes(request, params: Query[ChangesParams]):
    """Certificates created or changed after `since` (issued, revoked, suspended, superseded...),
    oldest change first. Keep `next_cursor` (or the last item's `updated_at`) for the next sync."""
    token = require_scope(request, Scope.CERTIFICATES)
    limit = _limit(params.limit)
    qs = certificates_of(token).select_related("product", "product__producer")
    cursor = decode_cursor(params.cursor, ["t", "i"])
    if cursor is not None:
        try:
            after = datetime.datetime.fromisoformat(cursor["t"])
            after_id = int(cursor["i"])
        except (TypeError, ValueError) as exc:
            raise _invalid_cursor() from exc
        qs = qs.filter(Q(updated_at__gt=after) | Q(updated_at=after, pk__gt=after_id))
    elif params.since is not None:
        since = params.since if timezone.is_aware(params.since) else timezone.make_aware(params.since)
        qs = qs.filter(updated_at__gt=since)
    page = _page(
        qs.order_by("updated_at", "pk"),
        limit,
        partial(certificate_dict, day=today()),
        lambda last: encode_cursor(t=last.updated_at.isoformat(), i=last.pk),
    )
    return etag_json(request, PartnerCertificatePage, page)


# Dossiers and stamp batches ------------------------------------------------------------------------


class PartnerDossier(Schema):
    number: str
    kind: str
    state: str
    round: str
    product_id: int
    product_name: str
    producer_id: int
    submitted_at: datetime.datetime | None
    result_star: int | None = Field(None, description="Only once the decision is recorded")
    certificate_number: str | None
    updated_at: datetime.datetime


class PartnerDossierPage(Schema):
    items: list[PartnerDossier]
    next_cursor: str | None


class PartnerStampBatch(Schema):
    id: int
    product_id: int
    product_name: str
    certificate_number: str
    quantity: int
    state: str
    lot_number: str
    production_date: datetime.date | None
    best_before: datetime.date | None
    blocked_at: datetime.datetime | None
    updated_at: datetime.datetime


class PartnerStampBatchPage(Schema):
    items: list[PartnerStampBatch]
    next_cursor: str | None


DECIDED_STATES = {"recognised", "not_recognised", "nominated_5star"}


def dossier_dict(dossier):
    # Scores are private until the decision: a partner sees the star only once it is decided.
    decided = dossier.state in DECIDED_STATES
    return {
        "number": dossier.number,
        "kind": dossier.kind,
        "state": dossier.state,
        "round": str(dossier.round),
        "product_id": dossier.product_id,
        "product_name": dossier.product.name,
        "producer_id": dossier.producer_id,
        "submitted_at": dossier.submitted_at,
        "result_star": dossier.result_star if decided else None,
        "certificate_number": dossier.certificate.number if dossier.certificate_id else None,
        "updated_at": dossier.updated_at,
    }


def batch_dict(batch):
    return {
        "id": batch.pk,
        "product_id": batch.product_id,
        "product_name": batch.product.name,
        "certificate_number": batch.certificate.number,
        "quantity": batch.quantity,
        "state": batch.state,
        "lot_number": batch.lot_number,
        "production_date": batch.production_date,
        "best_before": batch.best_before,
        "blocked_at": batch.blocked_at,
        "updated_at": batch.updated_at,
    }


def _dossiers_qs(token):
    qs = Dossier.objects.select_related("round", "product", "certificate").exclude(state="draft")
    return qs.filter(producer__in=producers_of(token)) if token.province_id else qs


def _batches_qs(token):
    qs = StampBatch.objects.select_related("product", "certificate")
    return qs.filter(product__producer__in=producers_of(token)) if token.province_id else qs


@router.get(
    "/partner/dossiers", response={200: PartnerDossierPage, **ERRORS}, operation_id="partner_dossiers"
)
def list_dossiers(request, params: Query[PartnerListParams]):
    """Submitted dossiers of the token's province and their state (drafts stay private)."""
    return _list(request, Scope.DOSSIERS, PartnerDossierPage, _dossiers_qs, params, dossier_dict)


@router.get(
    "/partner/dossiers/{number}", response={200: PartnerDossier, **ERRORS}, operation_id="partner_dossier"
)
def get_dossier(request, number: str):
    return _one(request, Scope.DOSSIERS, PartnerDossier, _dossiers_qs, dossier_dict, number=number)


@router.get(
    "/partner/stamp-batches",
    response={200: PartnerStampBatchPage, **ERRORS},
    operation_id="partner_stamp_batches",
)
def list_stamp_batches(request, params: Query[PartnerListParams]):
    """Stamp batches of the token's province: state (requested, approved, rejected, blocked) and lot data."""
    return _list(request, Scope.STAMPS, PartnerStampBatchPage, _batches_qs, params, batch_dict)


@router.get(
    "/partner/stamp-batches/{batch_id}",
    response={200: PartnerStampBatch, **ERRORS},
    operation_id="partner_stamp_batch",
)
def get_stamp_batch(request, batch_id: int):
    return _one(request, Scope.STAMPS, PartnerStampBatch, _batches_qs, batch_dict, pk=batch_id)
