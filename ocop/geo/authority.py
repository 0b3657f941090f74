"""Who issues a document, and how an address is written, on the map in force at the document's date.

`issuing_authority(unit, day)` is the one answer to "the issuing authority of a document dated D for
unit U": a decision, certificate, minutes, form or notice dated before 1/7/2025 keeps the legacy
province (UBND tỉnh Bến Tre, code 83); one dated from then names the current province that took the
unit over (UBND tỉnh Vĩnh Long, code 86, QĐ 19/2025/QĐ-TTg codes). A district committee (UBND huyện,
which recognised 3★ under QĐ 148/2023 until 30/6/2025) keeps its name on its own documents.

`address_of(obj, day)` is the one way an address of a producer or a sale point is written: on the map
in force on `day` (today by default), with the former address beside it when the unit changed
("trước đây: Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre"). Pages show it through the template
partial `includes/address.html`; documents and open data call it directly."""

from dataclasses import dataclass

from ocop.core.dates import today

from .enums import Level, MapVersion, UnitKind, map_for
from .queries import current_commune_for, current_successors, legacy_commune_for, legacy_predecessors

# How a unit's kind is written inside an address or after "UBND" (lower case, usual abbreviations).
_PREFIX = {
    UnitKind.PROVINCE: ("Tỉnh ", "tỉnh "),
    UnitKind.CITY: ("Thành phố ", "TP. "),
    UnitKind.PROVINCIAL_CITY: ("Thành phố ", "TP. "),
    UnitKind.TOWN: ("Thị xã ", "TX. "),
    UnitKind.DISTRICT: ("Huyện ", "huyện "),
    UnitKind.URBAN_DISTRICT: ("Quận ", "quận "),
}
_AUTHORITY_PREFIX = {
    UnitKind.PROVINCE: "tỉnh ",
    UnitKind.CITY: "thành phố ",
    UnitKind.PROVINCIAL_CITY: "thành phố ",
    UnitKind.TOWN: "thị xã ",
    UnitKind.DISTRICT: "huyện ",
    UnitKind.URBAN_DISTRICT: "quận ",
}


def short_name(unit):
    """A province or district as written in an address: "tỉnh Bến Tre", "TP. Bến Tre", "huyện Ba Tri"."""
    long_prefix, short_prefix = _PREFIX.get(unit.kind, ("", ""))
    if long_prefix and unit.name.startswith(long_prefix):
        return short_prefix + unit.name[len(long_prefix) :]
    return unit.name


def bare_name(unit):
    """The name without its kind: "Vĩnh Long" (for the place line "Vĩnh Long, ngày …")."""
    long_prefix, _short = _PREFIX.get(unit.kind, ("", ""))
    return unit.name[len(long_prefix) :] if long_prefix and unit.name.startswith(long_prefix) else unit.name


@dataclass(frozen=True)
class Authority:
    name: str  # "UBND tỉnh Vĩnh Long"
    unit: object  # the issuing unit (a province, or a district before 1/7/2025)
    province: object  # its province on the map in force on the document's date
    map: str  # MapVersion of that date

    @property
    def code(self):
        """The province code numbers are made with (86 for Vĩnh Long from 1/7/2025)."""
        return self.province.code

    @property
    def place(self):
        return bare_name(self.province)

    @property
    def title(self):
        """The heading line of a document: "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG"."""
        return ("Ủy ban nhân dân " + self.name.removeprefix("UBND ")).upper()


def authority_name(unit):
    prefix = _AUTHORITY_PREFIX.get(unit.kind, "")
    long_prefix, _short = _PREFIX.get(unit.kind, ("", ""))
    bare = unit.name[len(long_prefix) :] if long_prefix and unit.name.startswith(long_prefix) else unit.name
    return f"UBND {prefix}{bare}"


def province_on(province, day):
    """The province that stands for `province` on the map in force on `day` (itself when the maps
    agree; the successor after 1/7/2025; before it, the predecessor with the same code, else the first)."""

    if province.map == map_for(day):
        return province
    if province.map == MapVersion.LEGACY:
        return current_successors(province).first() or province
    predecessors = list(legacy_predecessors(province))
    same = [p for p in predecessors if p.code == province.code]
    return (same or predecessors or [province])[0]


def issuing_authority(unit, day=None):
    """The issuing authority of a document dated `day` (default today) for `unit` (a province,
    district or commune of either map)."""
    day = day or today()
    if unit.level == Level.DISTRICT and map_for(day) == MapVersion.LEGACY:
        return Authority(authority_name(unit), unit, unit.province, MapVersion.LEGACY)
    if unit.level == Level.COMMUNE:
        commune = legacy_commune_for(unit) if map_for(day) == MapVersion.LEGACY else current_commune_for(unit)
        province = (commune or unit).province
    else:
        province = unit if unit.level == Level.PROVINCE else unit.province
    province = province_on(province, day)
    return Authority(authority_name(province), province, province, map_for(day))


def commune_line(commune):
    """ "Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre" (legacy) or "Xã Lương Phú, tỉnh Vĩnh Long"."""
    if commune is None:
        return ""
    parts = [commune.name]
    if commune.district_id:
        parts.append(short_name(commune.district))
    if commune.province_id:
        parts.append(short_name(commune.province))
    return ", ".join(parts)


@dataclass(frozen=True)
class Address:
    line: str  # on the map in force: "Ấp 1, Xã Phú Túc, tỉnh Vĩnh Long"
    former: str  # the unit before 1/7/2025 when it changed (else ""): "Xã Phú Túc, huyện Châu Thành, tỉnh Bến Tre"
    commune: object
    province: object

    def __str__(self):
        return self.line


# select_related paths `address_of` reads (prefix them with the path to the producer or sale point).
ADDRESS_RELATED = (
    "commune__province",
    "legacy_commune__district",
    "legacy_commune__province",
    "current_commune__province",
)


def address_related(prefix=""):
    return [f"{prefix}{path}" for path in ADDRESS_RELATED]


def address_of(obj, day=None, *, with_street=True):
    """The address of a producer or sale point (anything with `address`, `commune`, `legacy_commune`,
    `current_commune`) as written on `day`: the street and the commune and province on the map in
    force, with the former commune when it changed."""
    day = day or today()
    legacy = getattr(obj, "legacy_commune", None) or (
        obj.commune if obj.commune.map == MapVersion.LEGACY else None
    )
    current = getattr(obj, "current_commune", None) or (
        obj.commune if obj.commune.map == MapVersion.CURRENT else None
    )
    if map_for(day) == MapVersion.LEGACY:
        commune, former = legacy or obj.commune, None
    else:
        commune, former = current or obj.commune, legacy
    street = (getattr(obj, "address", "") or "").strip() if with_street else ""
    line = ", ".join(p for p in (street, commune_line(commune)) if p)
    former_line = commune_line(former) if former is not None and former.pk != commune.pk else ""
    return Address(line, former_line, commune, commune.province if commune else None)
