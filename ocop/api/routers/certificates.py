"""Public certificate fields: GET /api/v1/certificates/{number}?as_of=YYYY-MM-DD."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ocop.certificates.models import Certificate
from ocop.core.dates import today

router = Router(tags=["certificates"])


class Ref(Schema):
    id: int
    name: str


class PublicCertificate(Schema):
    number: str
    star: int
    potential_5_star: bool
    status: str
    issued_on: date
    valid_until: date
    decision_number: str
    decision_date: date
    issuer: str
    kind: str
    product: Ref
    producer: Ref
    revoked_on: date | None
    revocation_ground: str | None
    superseded_by: str | None


@router.get("/certificates/{number}", response=PublicCertificate, summary="A certificate's public fields")
def certificate_detail(request, number: str, as_of: date | None = None):
    certificate = get_object_or_404(
        Certificate.objects.select_related("product", "product__producer", "superseded_by"),
        number=number[:40],
    )
    day = as_of or today()
    product = certificate.product
    revoked = certificate.revoked_on if certificate.revoked_on and certificate.revoked_on <= day else None
    superseded = (
        certificate.superseded_by if certificate.superseded_on and certificate.superseded_on <= day else None
    )
    return {
        "number": certificate.number,
        "star": certificate.star,
        "potential_5_star": certificate.potential_5_star,
        "status": certificate.status_on(day).value,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "issuer": certificate.issuer_name,
        "kind": certificate.kind,
        "product": {"id": product.pk, "name": product.name},
        "producer": {"id": product.producer_id, "name": product.producer.name},
        "revoked_on": revoked,
        "revocation_ground": certificate.revocation_ground if revoked else None,
        "superseded_by": superseded.number if superseded else None,
    }
