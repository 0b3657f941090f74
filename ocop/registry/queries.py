"""Scoped querysets: the only way pages and endpoints list producers and products."""

from django.db.models import Q

from ocop.accounts.enums import Role
from ocop.core.text import search_words
from ocop.geo.queries import scope_q

from .models import Producer, Product

SCOPED_ROLES = (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER)


def _user_q(user, field_prefix=""):
    """Q over producers (field_prefix '' ) or products ('producer__') that `user` may see."""
    if not user.is_authenticated:
        return None
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return Q()
    q = Q(pk__in=[])
    for unit in user.units(*SCOPED_ROLES):
        inner = scope_q(unit)
        q |= Q(**{f"{field_prefix}pk__in": []}) if inner is None else _prefix(inner, field_prefix)
    if user.producer is not None:
        q |= Q(**{f"{field_prefix}pk": user.producer.pk}) if field_prefix == "" else Q(producer=user.producer)
    return q


def _prefix(q, prefix):
    if not prefix:
        return q
    new = Q()
    new.connector, new.negated = q.connector, q.negated
    for child in q.children:
        new.children.append(_prefix(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]))
    return new


def producers_for(user):
    q = _user_q(user)
    return Producer.objects.none() if q is None else Producer.objects.filter(q)


def products_for(user):
    q = _user_q(user, "producer__")
    return Product.objects.none() if q is None else Product.objects.filter(q)


def search(qs, query):
    """Every folded word must appear in the folded name (any order)."""
    for word in search_words(query):
        qs = qs.filter(name_folded__contains=word)
    return qs


def with_current_star(qs, day=None):
    """Annotate products with the star of their certificate in force on `day` (None if none)."""
    from django.db.models import OuterRef, Subquery

    from ocop.certificates.models import Certificate
    from ocop.core.dates import today

    valid = Certificate.objects.valid_on(day or today()).filter(product=OuterRef("pk")).order_by("-issued_on")
    return qs.annotate(current_star=Subquery(valid.values("star")[:1]))
