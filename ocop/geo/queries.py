"""Questions about the administrative map, always asked as of a date."""

from django.db.models import Q

from ocop.core.dates import today
from ocop.core.text import fold, fold_unit_name

from .enums import Level, MapVersion, map_for

# The successions between the two maps are in models (a located record derives its communes on save);
# named here too, with the other questions about the map.
from .models import (  # noqa: F401
    AdminUnit,
    current_commune_for,
    current_successors,
    legacy_commune_for,
    legacy_predecessors,
)


def units_on(day=None):
    return AdminUnit.objects.filter(map=map_for(day or today()))


def unit_at(code, level, day=None):
    """The unit that `code` meant at `level` on `day` (None if the code meant nothing then)."""
    width = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}[level]
    code = str(code).strip()
    if not code.isdigit():
        return None
    return units_on(day).filter(level=level, code=code.zfill(width)).select_related("province").first()


def province_at(code, day=None):
    return unit_at(code, Level.PROVINCE, day)


def communes_of(province, day=None):
    """Communes of `province` on `day`. A province of the other map is first carried across the reform."""
    day = day or today()
    for unit in provinces_equivalent(province, day):
        return AdminUnit.objects.filter(level=Level.COMMUNE, province=unit)
    return AdminUnit.objects.none()


def provinces_equivalent(province, day):
    """The province(s) of the map in force on `day` that correspond to `province`."""
    if province.map == map_for(day):
        return [province]
    if province.map == MapVersion.LEGACY:
        return list(current_successors(province))
    return list(legacy_predecessors(province))


def search_units(query, *, level=None, parent=None, day=None, limit=30):
    """Units whose name contains every folded word of `query` (prefix such as "Xã" optional)."""
    qs = units_on(day)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(Q(parent=parent) | Q(province=parent) | Q(district=parent))
    for word in fold_unit_name(query).split()[:6]:
        qs = qs.filter(name_folded__contains=word)
    return qs.order_by("name_folded")[:limit]


def find_unit(name, level, *, day=None, province=None, district=None):
    """Match a unit's name with or without its kind prefix, ignoring case and diacritics.

    Returns (unit, None) or (None, reason) where reason is "unknown" or "ambiguous"."""
    short = fold_unit_name(name)
    full = fold(name)
    if not short:
        return None, "unknown"
    qs = units_on(day).filter(level=level)
    if province is not None:
        qs = qs.filter(province=province)
    if district is not None:
        qs = qs.filter(district=district)
    # A name given without its prefix may itself start like one ("Tịnh Ấn Đông" folds to "tinh an dong"):
    # compare the whole folded text with the short names too.
    matches = list(qs.filter(Q(short_folded=short) | Q(short_folded=full) | Q(name_folded=full)))
    if len(matches) > 1:
        exact = [u for u in matches if u.name_folded == full]
        matches = exact or matches
    if len(matches) == 1:
        return matches[0], None
    return None, "ambiguous" if matches else "unknown"


def scope_q(unit, field="commune"):
    """Q for objects whose `field` (a commune FK with legacy_/current_ twins) lies inside `unit`."""
    if unit.level == Level.PROVINCE:
        key = "province"
    elif unit.level == Level.DISTRICT:
        key = "district"
    else:
        return Q(**{f"legacy_{field}": unit}) | Q(**{f"current_{field}": unit})
    prefix = "legacy" if unit.map == MapVersion.LEGACY else "current"
    return Q(**{f"{prefix}_{field}__{key}": unit})
