"""What a report is about: a unit (province, district or commune; None for the whole country) on the
administrative map in force at the report's date."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ocop.core.dates import parse_date, today
from ocop.core.errors import DomainError
from ocop.geo.enums import Level, MapVersion, commune_field, map_for
from ocop.geo.models import AdminUnit, MapDataset
from ocop.geo.queries import (
    current_commune_for,
    legacy_commune_for,
    legacy_predecessors,
    provinces_equivalent,
    unit_at,
)

EARLIEST = datetime.date(2018, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class ScopeError(DomainError):
    status = 404


@dataclass(frozen=True)
class Scope:
    as_of: datetime.date
    unit: AdminUnit | None = None
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def map(self):
        return map_for(self.as_of)

    @property
    def commune_field(self):
        """The producer's commune field on the map in force ("legacy_commune" or "current_commune")."""
        return commune_field(self.as_of)

    @property
    def level(self):
        return self.unit.level if self.unit else "country"

    @property
    def name(self):
        return self.title

    @property
    def title(self):
        """The unit asked for, named on the map in force at the report's date: a legacy unit (which
        no longer exists) is "Tỉnh Bến Tre (cũ)", a current one its own name."""
        return unit_title(self.unit)

    @property
    def predecessors(self):
        """The former provinces a current province counts (Bến Tre, Trà Vinh, Vĩnh Long for 86)."""
        if self.unit is None or self.unit.level != Level.PROVINCE or self.unit.map != MapVersion.CURRENT:
            return []
        if self.map != MapVersion.CURRENT:
            return []

        names = [unit_title(u) for u in legacy_predecessors(self.unit)]
        return names if len(names) > 1 else []

    def producer_q(self, prefix=""):
        """Q over producers (prefix "") or rows reaching producers through `prefix`."""
        field = f"{prefix}{self.commune_field}"
        if self.unit is None:
            return Q()  # the whole country: no join needed
        if self.unit.level == Level.PROVINCE:
            return Q(**{f"{field}__province": self.unit})
        if self.unit.level == Level.DISTRICT:
            return Q(**{f"{field}__district": self.unit})
        return Q(**{field: self.unit})

    def communes(self):
        qs = AdminUnit.objects.filter(map=self.map, level=Level.COMMUNE)
        if self.unit is None:
            return qs
        if self.unit.level == Level.PROVINCE:
            return qs.filter(province=self.unit)
        if self.unit.level == Level.DISTRICT:
            return qs.filter(district=self.unit)
        return qs.filter(pk=self.unit.pk)

    def province(self):
        if self.unit is None:
            return None
        return self.unit if self.unit.level == Level.PROVINCE else self.unit.province

    def query_params(self):
        params = {"as_of": self.as_of.isoformat()}
        if self.unit is not None:
            params["commune" if self.unit.level == Level.COMMUNE else "province"] = self.unit.code
        return params


def unit_title(unit):
    if unit is None:
        return _("the whole country")
    if unit.map == MapVersion.LEGACY:
        return _("%(name)s (former)") % {"name": unit.name}
    return unit.name


def parse_as_of(value):
    """A report date from user input; today when empty. Raises DomainError (400) when unreadable."""
    if value in (None, ""):
        return today()
    try:
        day = parse_date(value)
    except ValueError:
        raise DomainError(
            _("The date %(value)s is not valid; write it as YYYY-MM-DD or dd/mm/yyyy.") % {"value": value},
            code="bad_date",
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise DomainError(_("The date must be between 2018 and 2100."), code="bad_date")
    return day


def resolve(as_of, *, province=None, commune=None):
    """The scope for GSO codes read on the map in force on `as_of` (no code: the whole country)."""
    if commune not in (None, ""):
        unit = unit_at(commune, Level.COMMUNE, as_of)
        if unit is None:
            raise ScopeError(_unknown(commune, as_of, commune=True), code="unknown_commune")
        if province not in (None, "") and unit.province.code != str(province).zfill(2):
            raise ScopeError(
                _("Commune %(code)s is not in province %(province)s.")
                % {"code": commune, "province": province},
                code="unknown_commune",
            )
        return Scope(as_of, unit)
    if province not in (None, ""):
        unit = unit_at(province, Level.PROVINCE, as_of)
        if unit is None:
            raise ScopeError(_unknown(province, as_of), code="unknown_province")
        return Scope(as_of, unit)
    return Scope(as_of, None)


def _unknown(code, as_of, commune=False):
    what = _("commune") if commune else _("province")
    return _("There was no %(what)s with code %(code)s on the map in force on %(date)s.") % {
        "what": what,
        "code": code,
        "date": as_of.strftime("%d/%m/%Y"),
    }


def scope_for_unit(unit, as_of):
    """A user's unit carried to the map in force on `as_of` (a legacy province after the reform
    becomes its current successor; a commune its successor or predecessor)."""
    if unit is None or unit.map == map_for(as_of):
        return Scope(as_of, unit)
    if unit.level == Level.PROVINCE:
        equivalents = provinces_equivalent(unit, as_of)
        return Scope(as_of, equivalents[0] if equivalents else None) if equivalents else None
    if unit.level == Level.COMMUNE:
        other = current_commune_for(unit) if unit.map == MapVersion.LEGACY else legacy_commune_for(unit)
        return Scope(as_of, other) if other else None
    return None


def map_data_version():
    dataset = MapDataset.objects.filter(pk=1).first() or MapDataset.objects.first()
    return dataset.data_version if dataset else ""
