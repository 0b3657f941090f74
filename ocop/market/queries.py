"""Read models of the market data: scoped lists for the office, public lists, channel KPIs."""

import datetime

from django.db.models import Exists, OuterRef, Q

from ocop.accounts.enums import Role
from ocop.geo.enums import REFORM_DATE, MapVersion
from ocop.geo.queries import provinces_equivalent, scope_q

from .enums import SalePointKind, SalePointStatus
from .models import Fair, OnlineListing, SalePoint, TourismRoute


def sale_points_for(user):
    """Sale points the user may see in the office."""
    if not user.is_authenticated:
        return SalePoint.objects.none()
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return SalePoint.objects.all()
    q = Q(pk__in=[])
    for unit in user.units(Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER):
        q |= scope_q(unit)
    if user.producer is not None:
        q |= Q(operator=user.producer) | Q(suggested_by=user)
    return SalePoint.objects.filter(q)


def _event_scope(user, model):
    """Fairs or tourism routes the user may see: all for admins and the ministry, those of the
    provincial office's province (on either map) for its officers, none otherwise."""
    if not user.is_authenticated:
        return model.objects.none()
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return model.objects.all()

    ids = set()
    for unit in user.units(Role.PROVINCE_OFFICER):
        ids.add(unit.pk)
        ids.update(p.pk for p in provinces_equivalent(unit, _other_map_day(unit)))
    return model.objects.filter(province_id__in=ids)


def fairs_for(user):
    return _event_scope(user, Fair)


def routes_for(user):
    return _event_scope(user, TourismRoute)


def _other_map_day(unit):
    return REFORM_DATE - datetime.timedelta(days=1) if unit.map == MapVersion.CURRENT else REFORM_DATE


def public_sale_points():
    return SalePoint.objects.filter(status=SalePointStatus.ACTIVE)


def published_routes():
    return TourismRoute.objects.filter(published=True)


def modern_channel_q():
    """Products sold in a supermarket or through at least one working online listing."""
    online = OnlineListing.objects.filter(product=OuterRef("pk")).exclude(check_result="broken")
    supermarket = SalePoint.objects.filter(
        products=OuterRef("pk"), kind=SalePointKind.SUPERMARKET, status=SalePointStatus.ACTIVE
    )
    return Q(Exists(online)) | Q(Exists(supermarket))


def modern_channel_share(products):
    """(products with a modern channel, all products) for a product queryset: a programme KPI."""
    total = products.count()
    with_channel = products.filter(modern_channel_q()).count()
    return with_channel, total
