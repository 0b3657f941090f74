"""Read models: the certificate register as of a date, scoped to the user."""

from django.db.models import Q

from ocop.core.text import search_words

from .enums import CertificateStatus
from .models import Certificate, ExpiryNotice
from .status import status_q


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
