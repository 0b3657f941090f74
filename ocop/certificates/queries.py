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


def product_set_name(certificate):
    """The product set's name under the rubric the product was evaluated under, for the certificate PDF and
    the verify page (QĐ 26/2026 Annex I; a product evaluated under QĐ 1048/2019 keeps its 1048 set).

    The dossier that issued the certificate names its rubric; a certificate without one (imported, or from
    the Ministry) uses its `criteria_set` code and the product's set; without a criteria set (old imports)
    the product's set on today's list. QĐ 1048's own list of names is not in our sources: its rubrics have
    no name, so the number and the decision are printed rather than a borrowed name."""
    from ocop.criteria.models import Rubric
    from ocop.evaluation.models import Dossier

    product = certificate.product
    dossier = (
        Dossier.objects.filter(certificate=certificate)
        .select_related("rubric__criteria_set")
        .order_by("-pk")
        .first()
    )
    rubric = dossier.rubric if dossier is not None else None
    if rubric is None and certificate.criteria_set:
        rubric = (
            Rubric.objects.filter(
                criteria_set__code=certificate.criteria_set, product_set=product.product_set
            )
            .select_related("criteria_set")
            .first()
        )
    if rubric is None:
        if certificate.criteria_set:
            from ocop.criteria.models import CriteriaSet

            criteria_set = CriteriaSet.objects.filter(code=certificate.criteria_set).first()
            if criteria_set is not None and not criteria_set.shares_todays_list:
                return f"Bộ sản phẩm số {product.product_set} theo {criteria_set.legal_basis}"
        return product.product_set_vi
    if rubric.set_name:
        return rubric.set_name
    return f"Bộ sản phẩm số {rubric.product_set} theo {rubric.criteria_set.legal_basis}"
