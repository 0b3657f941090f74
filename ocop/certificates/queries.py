"""Read models: the certificate register as of a date, scoped to the user."""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery

from ocop.core.dates import today
from ocop.core.text import search_words

from .enums import CertificateStatus
from .models import Certificate, ExpiryNotice


def certificates_for(user):
    """Certificates `user` may see: officers those issued in their units (the certificate's own
    communes, kept when the producer moves), a producer its own, administrators and the ministry all."""
    from ocop.accounts.enums import Role
    from ocop.geo.queries import scope_q
    from ocop.registry.queries import SCOPED_ROLES

    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return Certificate.objects.all()
    from ocop.registry.models import Producer

    q, producers = Q(pk__in=[]), Q(pk__in=[])
    for unit in user.units(*SCOPED_ROLES):
        q |= scope_q(unit)
        producers |= scope_q(unit)
    if producers != Q(pk__in=[]):  # certificates written without their scope (bulk data): the producer's
        q |= Q(legacy_commune__isnull=True, current_commune__isnull=True) & Q(
            product__producer__in=Producer.objects.filter(producers)
        )
    if user.producer is not None:
        q |= Q(product__producer=user.producer)
    return Certificate.objects.filter(q)


def status_q(status, day):
    """A filter matching `Certificate.status_on(day) == status` in SQL."""
    revoked = Q(revoked_on__isnull=False, revoked_on__lte=day)
    superseded = Q(superseded_on__isnull=False, superseded_on__lte=day)
    if status == CertificateStatus.REVOKED:
        return revoked
    if status == CertificateStatus.SUPERSEDED:
        return superseded & ~revoked
    if status == CertificateStatus.SUSPENDED:  # not a status of QĐ 26/2026: never produced
        return Q(pk__in=[])
    live = ~revoked & ~superseded
    extended = Q(expires_on__lte=day, extended_to__gt=day)  # QĐ 26/2026 Art. 12.3
    if status == CertificateStatus.NOT_YET:
        return live & Q(issued_on__gt=day)
    if status == CertificateStatus.EXPIRED:
        return live & Q(issued_on__lte=day, expires_on__lte=day) & ~extended
    soon = day + datetime.timedelta(days=settings.CERTIFICATE_EXPIRING_DAYS)
    in_force = live & Q(issued_on__lte=day, expires_on__gt=day)
    if status == CertificateStatus.EXPIRING:
        return in_force & Q(expires_on__lte=soon)
    if status == CertificateStatus.VALID:
        return (in_force & Q(expires_on__gt=soon)) | (live & Q(issued_on__lte=day) & extended)
    return Q()


def register(user, *, day, q="", status="", star=""):
    qs = certificates_for(user).select_related(
        "product", "product__producer", "product__producer__commune", "issuer_unit"
    )
    for word in search_words(q):
        qs = qs.filter(
            Q(product__name_folded__contains=word)
            | Q(product__producer__name_folded__contains=word)
            | Q(number__icontains=word)
        )
    if status in CertificateStatus.values:
        qs = qs.filter(status_q(status, day))
    if str(star) in ("3", "4", "5"):
        qs = qs.filter(star=int(star))
    return qs.order_by("expires_on", "number")


def notices_for(user):
    return ExpiryNotice.objects.filter(certificate__in=certificates_for(user).values("pk")).select_related(
        "certificate", "certificate__product", "certificate__product__producer"
    )


def current_certificate(certificate):
    """Follow `superseded_by` to the certificate now standing for the product (at most 20 steps)."""
    seen = 0
    while certificate.superseded_by_id and seen < 20:
        certificate = certificate.superseded_by
        seen += 1
    return certificate


def with_current_star(qs, day=None):
    """Annotate products (a `registry.Product` queryset) with the star of their certificate in force on
    `day` (None if none)."""
    valid = Certificate.objects.valid_on(day or today()).filter(product=OuterRef("pk")).order_by("-issued_on")
    return qs.annotate(current_star=Subquery(valid.values("star")[:1]))
