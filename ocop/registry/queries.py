"""Scoped querysets: the only way pages and endpoints list producers and products."""

from django.db.models import Q

from ocop.accounts.enums import Role
from ocop.core.text import search_words
from ocop.geo.queries import scope_q

from .models import Producer, Product

SCOPED_ROLES = (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER)


def _producers_q(user):
    """Q over the producers an authenticated `user` may see; None when they see every producer."""
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return None
    q = Q(pk__in=[])
    for unit in user.units(*SCOPED_ROLES):
        q |= scope_q(unit)
    if user.producer is not None:
        q |= Q(pk=user.producer.pk)
    return q


def producers_for(user):
    if not user.is_authenticated:
        return Producer.objects.none()
    q = _producers_q(user)
    return Producer.objects.all() if q is None else Producer.objects.filter(q)


def products_for(user):
    """Products of the producers `user` may see (one subquery, so list pages keep their query count)."""
    if not user.is_authenticated:
        return Product.objects.none()
    q = _producers_q(user)
    return (
        Product.objects.all()
        if q is None
        else Product.objects.filter(producer__in=Producer.objects.filter(q))
    )


def search(qs, query):
    """Every folded word must appear in the folded name (any order)."""
    for word in search_words(query):
        qs = qs.filter(name_folded__contains=word)
    return qs
