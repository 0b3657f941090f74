"""Certificates: issuing (from a decision or an import). Lifecycle changes live beside it."""

from django.conf import settings
from django.db import transaction

from ocop.core.activity import log_activity, next_in_sequence
from ocop.core.dates import add_months
from ocop.core.errors import DomainError

from .enums import CertificateKind, CertificateSource
from .models import Certificate


def default_expiry(issued_on):
    return add_months(issued_on, settings.CERTIFICATE_VALID_MONTHS)


def new_certificate_number(*, province_code, commune_code="", year):
    """Next number in the province's configured pattern, e.g. 83-00012-2022 (URL-safe, unique)."""
    seq = next_in_sequence(f"certificate:{province_code}:{year}")
    number = settings.CERTIFICATE_NUMBER_PATTERN.format(
        province=province_code, commune=commune_code, seq=seq, year=year
    )
    return number.replace("/", "-").replace(" ", "")


def _product_location_codes(product, day):
    """Province and commune codes on the map in force on `day` (83 for Bến Tre in 2022, 86 after)."""
    from ocop.geo.enums import MapVersion, map_for

    producer = product.producer
    if map_for(day) == MapVersion.LEGACY:
        commune = producer.legacy_commune or producer.commune
    else:
        commune = producer.current_commune or producer.commune
    return commune.province.code, commune.code


@transaction.atomic
def issue_certificate(
    product,
    *,
    actor,
    star,
    decision_number,
    decision_date,
    issuer_name,
    issued_on=None,
    expires_on=None,
    issuer_unit=None,
    potential_5_star=False,
    score=None,
    kind=CertificateKind.NEW,
    source=CertificateSource.DECISION,
    criteria_set="",
    number=None,
    supersede=True,
):
    """Create a certificate and supersede the product's earlier one that is still in force."""
    if star not in (3, 4, 5):
        raise DomainError("Only 3★, 4★ and 5★ are recognised with a certificate.", code="bad_star")
    issued_on = issued_on or decision_date
    expires_on = expires_on or default_expiry(issued_on)
    if expires_on <= issued_on:
        raise DomainError("The expiry date must be after the issue date.", code="bad_dates")
    if number is None:
        province_code, commune_code = _product_location_codes(product, issued_on)
        number = new_certificate_number(
            province_code=province_code, commune_code=commune_code, year=issued_on.year
        )
    certificate = Certificate.objects.create(
        number=number,
        product=product,
        star=star,
        potential_5_star=potential_5_star,
        score=score,
        kind=kind,
        source=source,
        criteria_set=criteria_set,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer_name=issuer_name,
        issuer_unit=issuer_unit,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if supersede:
        earlier = (
            Certificate.objects.filter(product=product, issued_on__lt=issued_on, superseded_on__isnull=True)
            .valid_on(issued_on)
            .exclude(pk=certificate.pk)
        )
        for old in earlier:
            old.superseded_on, old.superseded_by = issued_on, certificate
            old.save(update_fields=["superseded_on", "superseded_by", "updated_at"])
            log_activity(
                old, "certificates.certificate.superseded", actor=actor, data={"by": certificate.number}
            )
    log_activity(
        certificate,
        "certificates.certificate.issued",
        actor=actor,
        data={
            "star": star,
            "decision": decision_number,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "source": source,
        },
    )
    return certificate
