"""Scoped querysets for the office's staff-account pages.

A provincial officer administers the accounts of its province's staff: commune officers of its
communes, advisory group and council members of the province (MANAGED_ROLES). An account is in the
officer's hands only when every role it holds is one of those, on units of the officer's province:
an account that is also a producer, an officer elsewhere or an administrator is not theirs to edit."""

from django.db.models import Q

from ocop.core.dates import today
from ocop.core.text import fold
from ocop.geo.enums import Level, MapVersion, map_for
from ocop.geo.models import AdminUnit
from ocop.geo.queries import legacy_predecessors

from .enums import Role
from .models import RoleAssignment, User
from .rules import officer_provinces

MANAGED_ROLES = (Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER)


def _is_admin(user):
    return user.is_superuser or user.has_role(Role.ADMIN)


def managed_provinces(user, *, for_new=False):
    """Provinces whose staff `user` administers (an administrator: every province). Since 1/7/2025 a
    province officer of the map in force administers the staff of its province and of the provinces
    merged into it; an officer of a former province administers nobody (it only reads). With
    `for_new` (the units a new role may be given on): only provinces of the map in force."""

    if not user.is_authenticated:
        return AdminUnit.objects.none()
    in_force = map_for(today())
    if _is_admin(user):
        provinces = AdminUnit.objects.filter(level=Level.PROVINCE)
        return provinces.filter(map=in_force) if for_new else provinces
    ids = []
    for unit in officer_provinces(user, acting=True):
        ids.append(unit.pk)
        if not for_new:
            ids.extend(legacy_predecessors(unit).values_list("pk", flat=True))
    return AdminUnit.objects.filter(pk__in=ids)


def role_units(province):
    """Units a managed role may be scoped to in `province`: the province itself and its communes."""
    return AdminUnit.objects.filter(Q(pk=province.pk) | Q(province=province, level=Level.COMMUNE)).order_by(
        "level", "name"
    )


def allowed_units(role, province):
    """The units `role` may hold in `province`: communes for a commune officer, else the province."""
    if role == Role.COMMUNE_OFFICER:
        return AdminUnit.objects.filter(province=province, level=Level.COMMUNE).order_by("name")
    return AdminUnit.objects.filter(pk=province.pk)


def _scope_q(provinces):
    ids = list(provinces.values_list("pk", flat=True))
    return Q(role__in=MANAGED_ROLES) & (Q(unit__in=ids) | Q(unit__province__in=ids))


def staff_for(user):
    """Accounts `user` may administer (see the module's docstring)."""
    provinces = managed_provinces(user)
    if not user.is_authenticated or (not _is_admin(user) and not provinces.exists()):
        return User.objects.none()
    inside = _scope_q(provinces)
    return (
        User.objects.filter(is_superuser=False, pk__in=RoleAssignment.objects.filter(inside).values("user"))
        .exclude(pk__in=RoleAssignment.objects.exclude(inside).values("user"))
        .exclude(pk=user.pk)
        .order_by("full_name", "username")
    )


def staff_candidates(province, query="", limit=20):
    """Active accounts holding a staff role on `province` or its communes, for choosing a council or an
    advisory group (with the staff of the provinces merged into it); every word of `query` must be in the user name, full name or email, without regard
    to case or diacritics ("tran" finds "Trần"). A province's staff is small: folded in Python."""

    # A current province also draws on the staff of the provinces merged into it (their accounts are
    # still scoped to the former province until an administrator moves them).
    provinces = [province.pk, *legacy_predecessors(province).values_list("pk", flat=True)]
    roles = RoleAssignment.objects.filter(
        Q(unit__in=provinces) | Q(unit__province__in=provinces),
        role__in=(Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER, Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER),
    )
    people = User.objects.filter(is_active=True, pk__in=roles.values("user")).order_by(
        "full_name", "username"
    )
    words = fold(query or "").split()[:5]
    found = []
    for user in people.only("pk", "username", "full_name", "email"):
        text = fold(f"{user.username} {user.full_name} {user.email}")
        if all(word in text for word in words):
            found.append(user)
            if len(found) == limit:
                break
    return found


def former_map_accounts(user):
    """Accounts holding a role on a unit of the former map that `user` may move to the successor units
    (`ocop.accounts.domain.may_move_roles`): every such account for an administrator; for a province
    officer of the map in force, those of the provinces merged into its own, administrators excepted."""

    if not user.is_authenticated:
        return User.objects.none()
    legacy = RoleAssignment.objects.filter(unit__map=MapVersion.LEGACY)
    if not _is_admin(user):
        ids = []
        for unit in officer_provinces(user, acting=True):
            ids.extend(legacy_predecessors(unit).values_list("pk", flat=True))
        if not ids:
            return User.objects.none()
        legacy = legacy.filter(Q(unit__in=ids) | Q(unit__province__in=ids))
        outside = RoleAssignment.objects.filter(unit__map=MapVersion.LEGACY).exclude(
            Q(unit__in=ids) | Q(unit__province__in=ids)
        )
        admins = RoleAssignment.objects.filter(role=Role.ADMIN)
        return (
            User.objects.filter(is_superuser=False, pk__in=legacy.values("user"))
            .exclude(pk__in=outside.values("user"))
            .exclude(pk__in=admins.values("user"))
            .exclude(pk=user.pk)
            .order_by("full_name", "username")
        )
    return User.objects.filter(pk__in=legacy.values("user")).order_by("full_name", "username")
