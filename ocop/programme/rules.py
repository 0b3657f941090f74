"""Who may see and manage plans, courses, support and consultancy units.

Plans and courses belong to a unit (province or commune), not to a producer, so the scope test is
"does one of the user's units contain that unit" (on either map, through the succession table)."""

import rules

from ocop.accounts.enums import Role
from ocop.accounts.rules import (
    add_write_perm,
    is_admin,
    is_ministry_officer,
    owns,
    province_officer_covers,
    staff_covers,
)
from ocop.geo.enums import LEGACY_END, REFORM_DATE, Level, MapVersion
from ocop.geo.queries import provinces_equivalent


def _province_of(unit):
    return unit if unit.level == Level.PROVINCE else unit.province


def unit_within(unit, scope):
    """True if administrative `unit` lies inside `scope` (same map, or carried across the reform)."""

    if scope.level == Level.PROVINCE:
        province = _province_of(unit)
        if province.map == scope.map:
            return province.pk == scope.pk
        return province.pk in {p.pk for p in provinces_equivalent(scope, _reform_side(province))}
    if unit.map != scope.map:
        return False
    if scope.level == Level.DISTRICT:
        return unit.pk == scope.pk or unit.district_id == scope.pk
    return unit.pk == scope.pk


def _reform_side(unit):
    return LEGACY_END if unit.map == MapVersion.LEGACY else REFORM_DATE


def holds_unit(user, unit, roles):
    if not user.is_authenticated or unit is None:
        return False
    return any(unit_within(unit, scope) for scope in user.units(*roles))


@rules.predicate
def province_officer_of_unit(user, obj):
    return obj is not None and holds_unit(user, _unit_of(obj), [Role.PROVINCE_OFFICER])


@rules.predicate
def staff_of_unit(user, obj):
    return obj is not None and holds_unit(
        user,
        _unit_of(obj),
        [Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER],
    )


def _unit_of(obj):
    """The administrative unit an object belongs to (the object itself when it is a unit)."""
    if obj._meta.model_name == "adminunit":
        return obj
    if obj._meta.model_name == "plan":
        return obj.unit
    if obj._meta.model_name in ("trainingcourse", "consultancyunit"):
        return obj.province
    if obj._meta.model_name == "target":
        return obj.plan.unit
    raise TypeError(obj)


@rules.predicate
def is_province_staff(user):
    return user.is_authenticated and user.has_role(Role.PROVINCE_OFFICER)


@rules.predicate
def is_unit_staff(user):
    return user.is_authenticated and user.has_role(
        Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER
    )


can_view = is_admin | is_ministry_officer | staff_of_unit
can_manage = is_admin | province_officer_of_unit

rules.add_perm("programme.access", is_admin | is_ministry_officer | is_unit_staff)
add_write_perm("programme.add_plan", is_admin | is_province_staff)
rules.add_perm("programme.view_plan", can_view)
add_write_perm("programme.manage_plan", can_manage)
rules.add_perm("programme.view_course", can_view)
add_write_perm("programme.manage_course", can_manage)
add_write_perm("programme.manage_consultancy", can_manage)
rules.add_perm("programme.view_support", is_admin | is_ministry_officer | staff_covers | owns)
add_write_perm("programme.manage_support", is_admin | province_officer_covers)
