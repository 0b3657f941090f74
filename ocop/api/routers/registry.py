"""Public product data (architecture §6): GET /api/v1/products, product and producer details.

Only public fields: no tax codes, no personal phone numbers unless the producer published them."""

from datetime import date, timedelta

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from ocop.api.schemas import Error
from ocop.catalog.search import apply_words, certified_on, in_force, public_products, valid_certificates
from ocop.catalog.slugs import slug_for
from ocop.certificates.enums import CertificateStatus
from ocop.certificates.models import Certificate
from ocop.core.dates import parse_date, today
from ocop.core.errors import DomainError
from ocop.core.params import INT_MAX
from ocop.geo.enums import commune_field
from ocop.geo.queries import province_at
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer, TraceCode
from ocop.registry.privacy import public_producer

router = Router(tags=["registry"])

MAX_PAGE_SIZE = 500


class Unit(Schema):
    code: str
    name: str


class ProducerRef(Schema):
    id: int
    name: str
    kind: str


class CertificateOut(Schema):
    number: str
    star: int
    status: str
    valid_until: date
    potential_5_star: bool


class TraceCodeOut(Schema):
    """A growing-area code (mã số vùng trồng) or a facility code (mã số cơ sở), as the office recorded it."""

    kind: str  # "growing_area" | "facility"
    code: str
    issuer: str
    issued_on: date
    valid_until: date | None


class ProductItem(Schema):
    id: int
    name: str
    product_set: int
    producer: ProducerRef
    province: Unit | None
    commune: Unit | None
    certificate: CertificateOut | None
    # Additive (#14): the product's traceability codes by kind, then date of issue; [] when none.
    trace_codes: list[TraceCodeOut]


class ProductPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProductItem]


class ProductFilters(Schema):
    q: str = ""
    star: str = ""
    province: str = ""
    as_of: str = ""
    page: str = "1"
    page_size: str = "50"


def _bad(message, code="validation_error"):
    return DomainError(message, code=code, status=422)


def _as_of(raw):
    if not raw:
        return today()
    try:
        return parse_date(raw)
    except ValueError:
        raise _bad(_("as_of must be a date in the form YYYY-MM-DD."), "bad_date") from None


def _positive(raw, name, maximum=None):
    if not (str(raw).isascii() and str(raw).isdigit()) or int(raw) < 1:
        raise _bad(_("%(name)s must be a whole number from 1.") % {"name": name})
    value = int(raw)
    if maximum and value > maximum:
        raise _bad(_("%(name)s can be at most %(max)s.") % {"name": name, "max": maximum})
    return value


def _unit(unit):
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _place(commune):
    """An item's "commune" (on the map in force) and its "province"."""
    return {"commune": _unit(commune), "province": _unit(commune.province if commune else None)}


def _certificate(cert, day):
    if cert is None:
        return None
    status = cert.status_on(day)
    return {
        "number": cert.number,
        "star": cert.star,
        # "expiring" is still valid; the verify endpoint reports it apart, as here the list is of valid ones.
        "status": CertificateStatus.VALID.value if status == CertificateStatus.EXPIRING else status.value,
        "valid_until": cert.valid_until,
        "potential_5_star": cert.potential_5_star,
    }


def _trace_code(code):
    return {
        "kind": code.kind,
        "code": code.code,
        "issuer": code.issuer,
        "issued_on": code.issued_on,
        "valid_until": code.valid_until,
    }


def trace_codes_of(product_ids):
    """{product id: [trace code items]} for a page of products, in one query."""

    out = {}
    product_ids = list(product_ids)
    if not product_ids:
        return out
    for code in TraceCode.objects.filter(product_id__in=product_ids).order_by("kind", "issued_on", "id"):
        out.setdefault(code.product_id, []).append(_trace_code(code))
    return out


def product_item(product, day, commune_attr):
    commune = getattr(product.producer, commune_attr)
    certs = getattr(product, "valid_certs", [])
    return {
        "id": product.pk,
        "name": product.name,
        "product_set": product.product_set,
        "producer": {"id": product.producer.pk, "name": product.producer.name, "kind": product.producer.kind},
        **_place(commune),
        "certificate": _certificate(certs[0] if certs else None, day),
        "trace_codes": [_trace_code(c) for c in product.trace_codes.all()],
    }


def entry_item(entry, commune_attr, trace_codes=None):
    """An item of the list from one read-model row (`CatalogEntry`): the same fields as `product_item`.
    The row's certificate is in force on the day asked, so its status there is "valid"."""
    commune = getattr(entry, commune_attr)
    return {
        "id": entry.product_id,
        "name": entry.name,
        "product_set": entry.product_set,
        "producer": {"id": entry.producer_id, "name": entry.producer_name, "kind": entry.producer_kind},
        **_place(commune),
        "certificate": {
            "number": entry.certificate_number,
            "star": entry.star,
            "status": CertificateStatus.VALID.value,
            "valid_until": entry.certificate_expires_on - timedelta(days=1),
            "potential_5_star": entry.certificate_potential_5_star,
        },
        "trace_codes": (trace_codes or {}).get(entry.product_id, []),
    }


@router.get(
    "/products",
    response={200: ProductPage, 422: Error},
    summary="Products certified on a date",
    description="Products whose OCOP certificate is in force on `as_of` (default today). `q`: every word must "
    "appear in the name, ignoring case and diacritics, in any order. `province`: a province code read on the "
    "administrative map in force on `as_of`. `star`: 3, 4 or 5.",
)
def list_products(request, filters: Query[ProductFilters]):
    day = _as_of(filters.as_of)
    page = _positive(filters.page, "page", INT_MAX)
    page_size = _positive(filters.page_size, "page_size", MAX_PAGE_SIZE)
    commune_attr = commune_field(day)
    qs = apply_words(in_force(day), filters.q)
    if filters.star:
        if filters.star not in ("3", "4", "5"):
            raise _bad(_("star must be 3, 4 or 5."), "bad_star")
        qs = qs.filter(**{f"star_{filters.star}": True})
    if filters.province:
        province = province_at(filters.province, day)
        if province is None:
            raise _bad(
                _("No province has the code %(code)s on the map in force on %(day)s.")
                % {"code": filters.province[:10], "day": day.isoformat()},
                "unknown_province",
            )
        qs = qs.filter(**{f"{commune_attr}__province": province})
    count = qs.count()
    start = (page - 1) * page_size
    rows = list(
        qs.order_by("product_id").select_related(f"{commune_attr}__province")[start : start + page_size]
    )
    codes = trace_codes_of(e.product_id for e in rows)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [entry_item(e, commune_attr, codes) for e in rows],
    }


class PhotoOut(Schema):
    url: str
    caption: str


class ProductDetail(ProductItem):
    description: str
    story: str
    ingredients: str
    packaging: str
    gtin: str
    code: str
    photos: list[PhotoOut]
    certificates: list[CertificateOut]
    url: str


@router.get("/products/{product_id}", response={200: ProductDetail, 404: Error}, summary="One product")
def product_detail(request, product_id: int):
    day = today()
    commune_attr = commune_field(day)
    product = get_object_or_404(
        public_products()
        .filter(certificates__isnull=False)
        .distinct()
        .select_related("producer", f"producer__{commune_attr}", f"producer__{commune_attr}__province")
        .prefetch_related(
            "photos",
            "trace_codes",
            Prefetch(
                "certificates", queryset=valid_certificates(day).order_by("-star"), to_attr="valid_certs"
            ),
        ),
        pk=product_id,
    )
    history = Certificate.objects.filter(product=product).order_by("-issued_on")
    data = product_item(product, day, commune_attr)
    data.update(
        description=product.description,
        story=product.story,
        ingredients=product.ingredients,
        packaging=product.packaging,
        gtin=product.gtin,
        code=product.code,
        photos=[
            {"url": request.build_absolute_uri(p.image.url), "caption": p.caption}
            for p in product.photos.all()
        ],
        certificates=[_certificate(c, day) | {"status": c.status_on(day).value} for c in history],
        url=request.build_absolute_uri(f"/products/{product.pk}/{slug_for(product.name)}/"),
    )
    return data


class ProducerOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    commune: Unit | None
    province: Unit | None
    phone: str | None
    website: str
    description: str
    products: list[int]


@router.get(
    "/producers/{producer_id}", response={200: ProducerOut, 404: Error}, summary="A producer's public profile"
)
def producer_detail(request, producer_id: int):
    day = today()
    commune_attr = commune_field(day)
    producer = get_object_or_404(
        Producer.objects.filter(status=ProducerStatus.ACTIVE, products__certificates__isnull=False)
        .distinct()
        .select_related(commune_attr, f"{commune_attr}__province"),
        pk=producer_id,
    )
    commune = getattr(producer, commune_attr)
    public = public_producer(producer)
    return {
        "id": producer.pk,
        "name": producer.name,
        "kind": producer.kind,
        "address": public["address"],
        **_place(commune),
        "phone": public["phone"],
        "website": producer.website,
        "description": producer.description,
        "products": list(
            certified_on(day).filter(producer=producer).order_by("pk").values_list("pk", flat=True)
        ),
    }
