"""Permission predicates: role + administrative scope + object.

Every page and endpoint asks these (through `user.has_perm(...)` or the scoped querysets in
`ocop.registry.queries`). A unit-scoped role covers an object when the object's commune lies in the
unit, on the map the unit belongs to (a legacy Bến Tre officer sees Bến Tre's communes; a current
Vĩnh Long officer sees everything that moved into Vĩnh Long)."""

import rules
from django.utils.translation import gettext_lazy

from ocop.core.dates import today
from ocop.core.errors import NotAllowed
from ocop.core.permissions import register_page_reason, register_refusal_explainer
from ocop.geo.enums import Level, MapVersion, map_for
from ocop.geo.queries import legacy_predecessors

from .enums import Role


def unit_covers(unit, commune_legacy, commune_current):
    """True if `unit` (province, district or commune) contains the object's commune."""
    commune = commune_legacy if unit.map == MapVersion.LEGACY else commune_current
    if commune is None:
        return False
    if unit.level == Level.PROVINCE:
        return commune.province_id == unit.pk
    if unit.level == Level.DISTRICT:
        return commune.district_id == unit.pk
    return commune.pk == unit.pk


def acts_on_current_map(unit, day=None):
    """Only units of the map in force act (open rounds, sign decisions and certificates): after
    1/7/2025 a role scoped to a legacy province keeps read access to its history and nothing more."""
    return unit.map == map_for(day or today())


def province_covers_province(unit, province):
    """Does a province officer's `unit` cover `province` (a round's or a plan's province)? The same
    unit, or a legacy province that merged into the current `unit` (Bến Tre, Trà Vinh and Vĩnh Long
    into Vĩnh Long 86): the successor carries on everything its predecessors started."""
    if unit is None or province is None:
        return False
    if unit.pk == province.pk:
        return True
    if unit.map != MapVersion.CURRENT or province.map != MapVersion.LEGACY:
        return False
    cache = unit.__dict__.setdefault("_predecessor_ids", None)
    if cache is None:
        cache = unit.__dict__["_predecessor_ids"] = set(
            legacy_predecessors(unit).values_list("pk", flat=True)
        )
    return province.pk in cache


def officer_provinces(user, *, acting=False):
    """Province units of `user`'s province-officer roles (only those on the map in force if `acting`)."""
    units = user.units(Role.PROVINCE_OFFICER) if user.is_authenticated else []
    return [u for u in units if not acting or acts_on_current_map(u)]


def legacy_only(user):
    """A province officer whose every province is a legacy unit (read-only since 1/7/2025)."""
    units = officer_provinces(user)
    return bool(units) and not any(acts_on_current_map(u) for u in units)


LEGACY_READ_ONLY = gettext_lazy(
    "An account of a former province can only view: since 1/7/2025 only the offices of the current "
    "administrative map act (rounds, dossiers, decisions, certificates, the registry, stamps, plans). "
    "Ask an administrator to move the account to the successor province."
)


def read_only(user):
    """The one rule for writes after the reform: a user whose province-officer roles are all scoped
    to legacy provinces, and who holds no admin role nor any office role on the map in force, reads
    the history of its former province and changes nothing (every write permission is added with
    `add_write_perm`, which asks this first)."""
    if not user.is_authenticated or user.is_superuser or user.has_role(Role.ADMIN):
        return False
    if not legacy_only(user):
        return False
    office = (Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER)
    return not any(acts_on_current_map(u) for u in user.units(*office))


WRITE_PERMS = {}


def add_write_perm(name, predicate):
    """Register a permission that changes something: refused to a read-only (legacy) account."""
    WRITE_PERMS[name] = predicate
    rules.add_perm(name, may_write & predicate)


def legacy_refusal(user, perm, obj=None):
    """The legacy read-only refusal when it is the reason `user` may not `perm` on `obj` (the
    account would be allowed if its province were on the map in force), else None."""
    predicate = WRITE_PERMS.get(perm)
    if user is None or predicate is None or not read_only(user):
        return None
    if not predicate.test(user, obj):
        return None

    return NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")


# `ocop.core.permissions.require` (the one check of the domain functions) raises this refusal when it
# is the reason: a read-only account is told why.
register_refusal_explainer(legacy_refusal)
register_page_reason(lambda user: LEGACY_READ_ONLY if read_only(user) else None)


def covers(user, roles, obj):
    """Does `user` hold one of `roles` on a unit covering `obj` (anything with a `scope_communes()`)?"""
    if not user.is_authenticated:
        return False
    legacy, current = obj.scope_communes()
    return any(unit_covers(unit, legacy, current) for unit in user.units(*roles))


@rules.predicate
def may_write(user):
    return not read_only(user)


@rules.predicate
def is_admin(user):
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN))


@rules.predicate
def is_province_officer(user):
    return user.is_authenticated and user.has_role(Role.PROVINCE_OFFICER)


@rules.predicate
def is_commune_officer(user):
    return user.is_authenticated and user.has_role(Role.COMMUNE_OFFICER)


@rules.predicate
def is_ministry_officer(user):
    return user.is_authenticated and user.has_role(Role.MINISTRY_OFFICER)


@rules.predicate
def is_staff_member(user):
    return user.is_authenticated and user.is_platform_staff


@rules.predicate
def is_producer_user(user):
    return user.is_authenticated and user.producer is not None


@rules.predicate
def province_officer_covers(user, obj):
    return obj is not None and covers(user, [Role.PROVINCE_OFFICER], obj)


@rules.predicate
def acting_province_officer_covers(user, obj):
    """A province officer on the map in force whose province covers obj (the successor acts)."""
    if obj is None or not user.is_authenticated:
        return False
    legacy, current = obj.scope_communes()
    return any(unit_covers(unit, legacy, current) for unit in officer_provinces(user, acting=True))


@rules.predicate
def is_acting_province_officer(user):
    return bool(officer_provinces(user, acting=True))


@rules.predicate
def commune_officer_covers(user, obj):
    return obj is not None and covers(user, [Role.COMMUNE_OFFICER], obj)


@rules.predicate
def staff_covers(user, obj):
    return obj is not None and covers(
        user, [Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER], obj
    )


@rules.predicate
def owns(user, obj):
    """The producer account that owns obj (a Producer, or anything with a `producer`)."""
    if obj is None or not user.is_authenticated or user.producer is None:
        return False
    producer_id = obj.pk if obj._meta.model_name == "producer" else getattr(obj, "producer_id", None)
    return producer_id == user.producer.pk


can_view_registry = is_admin | is_ministry_officer | staff_covers | owns
can_edit_registry = is_admin | province_officer_covers | owns
can_manage_registry = is_admin | province_officer_covers

rules.add_perm("registry.view_producer", can_view_registry)
add_write_perm("registry.change_producer", can_edit_registry)
add_write_perm("registry.approve_producer", can_manage_registry)
rules.add_perm("registry.view_product", can_view_registry)
add_write_perm("registry.change_product", can_edit_registry)
add_write_perm("registry.add_product", is_admin | is_province_officer | is_producer_user)
add_write_perm("registry.import_products", is_admin | is_province_officer)
add_write_perm("registry.review_changes", is_admin | is_province_officer)
add_write_perm("registry.manage_trace_codes", can_manage_registry)
rules.add_perm("core.view_history", is_admin | province_officer_covers | commune_officer_covers)
add_write_perm("accounts.manage_staff", is_admin | is_province_officer)
# Moving a former province's accounts to the successor: an administrator, or an officer of the map in
# force (which accounts: ocop.accounts.queries.former_map_accounts / domain.may_move_roles).
add_write_perm("accounts.move_roles", is_admin | is_acting_province_officer)
rules.add_perm("backoffice.access", is_staff_member | is_producer_user)
