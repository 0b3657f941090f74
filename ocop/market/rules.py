"""Who may manage the market data: the provincial office for its province, producers for their own."""

import datetime

import rules

from ocop.accounts.enums import Role
from ocop.accounts.rules import (
    add_write_perm,
    is_admin,
    is_ministry_officer,
    is_producer_user,
    is_province_officer,
    owns,
    province_officer_covers,
    staff_covers,
)
from ocop.geo.enums import REFORM_DATE, MapVersion
from ocop.geo.queries import provinces_equivalent

from .enums import SALE_POINT_TRANSITIONS


def province_units_cover(user, province):
    """Does `user` hold a province-officer role on `province` (on either map)?"""
    if not user.is_authenticated or province is None:
        return False

    for unit in user.units(Role.PROVINCE_OFFICER):
        if unit.pk == province.pk:
            return True
        same_level_other_map = unit.level == province.level and unit.map != province.map
        if same_level_other_map and any(
            p.pk == unit.pk for p in provinces_equivalent(province, _day_on_map(unit.map))
        ):
            return True
    return False


def _day_on_map(map_version):
    return REFORM_DATE if map_version == MapVersion.CURRENT else REFORM_DATE - datetime.timedelta(days=1)


@rules.predicate
def province_officer_of_event(user, obj):
    return obj is not None and province_units_cover(user, obj.province)


@rules.predicate
def operates(user, sale_point):
    return (
        sale_point is not None
        and user.is_authenticated
        and user.producer is not None
        and sale_point.operator_id == user.producer.pk
    )


rules.add_perm("market.view_salepoint", is_admin | is_ministry_officer | staff_covers | operates)
add_write_perm("market.add_salepoint", is_admin | is_province_officer)
add_write_perm("market.change_salepoint", is_admin | province_officer_covers)
add_write_perm("market.suggest_salepoint", is_producer_user)
# Listings are kept by the product's producer or the office of its province (obj: the product).
add_write_perm("market.manage_listing", is_admin | province_officer_covers | owns)
add_write_perm("market.add_fair", is_admin | is_province_officer)
add_write_perm("market.change_fair", is_admin | province_officer_of_event)
rules.add_perm("market.view_fair", is_admin | is_ministry_officer | is_province_officer)
add_write_perm("market.change_route", is_admin | province_officer_of_event)
rules.add_perm("market.access", is_admin | is_ministry_officer | is_province_officer | is_producer_user)


def may_set_status(user, sale_point, status):
    """May `user` move `sale_point` to `status` now: the transition table allows it from its status and
    the user changes sale points (`domain.change_sale_point_status` refuses the same). The sale point page
    passes it as `can_*`."""
    return status in SALE_POINT_TRANSITIONS.get(sale_point.status, ()) and user.has_perm(
        "market.change_salepoint", sale_point
    )
