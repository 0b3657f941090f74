"""Load both administrative maps from the vietnam-provinces package, idempotently."""

import vietnam_provinces
from django.db import transaction
from django.db.models import F
from vietnam_provinces import Province, Ward
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW
from vietnam_provinces.legacy import base as legacy

from ocop.core.text import fold, fold_unit_name

from .enums import LEGACY_END, PACKAGE_KINDS, REFORM_DATE, Level, MapVersion
from .models import AdminUnit, MapDataset, Succession


def _code(value, width):
    return str(int(value)).zfill(width)


def _desired_units():
    """Yield (map, level, code, name, kind, parent_key, province_key, district_key)."""
    L, C = MapVersion.LEGACY, MapVersion.CURRENT
    for p in legacy.Province.iter_all():
        key = (L, Level.PROVINCE, _code(p.code, 2))
        yield (*key, p.name, PACKAGE_KINDS[p.division_type], None, key, None)
    for d in legacy.District.iter_all():
        pkey = (L, Level.PROVINCE, _code(d.province_code, 2))
        yield (L, Level.DISTRICT, _code(d.code, 3), d.name, PACKAGE_KINDS[d.division_type], pkey, pkey, None)
    districts = {int(d.code): int(d.province_code) for d in legacy.District.iter_all()}
    for w in legacy.Ward.iter_all():
        dkey = (L, Level.DISTRICT, _code(w.district_code, 3))
        pkey = (L, Level.PROVINCE, _code(districts[int(w.district_code)], 2))
        yield (L, Level.COMMUNE, _code(w.code, 5), w.name, PACKAGE_KINDS[w.division_type], dkey, pkey, dkey)
    for p in Province.iter_all():
        key = (C, Level.PROVINCE, _code(p.code, 2))
        yield (*key, p.name, PACKAGE_KINDS[p.division_type], None, key, None)
    for w in Ward.iter_all():
        pkey = (C, Level.PROVINCE, _code(w.province_code, 2))
        yield (C, Level.COMMUNE, _code(w.code, 5), w.name, PACKAGE_KINDS[w.division_type], pkey, pkey, None)


@transaction.atomic
def load_admin_units():
    """Create or refresh every unit and succession link. Returns counts of what changed.

    Units are written level by level (provinces, districts, communes) so that each row is created
    with its links; only rows whose values differ are updated."""
    existing = {(u.map, u.level, u.code): u for u in AdminUnit.objects.all()}
    rows = list(_desired_units())
    created = updated = 0
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        new_units, changed = [], []
        for map_, lvl, code, name, kind, parent_key, province_key, district_key in rows:
            if lvl != level:
                continue
            valid_from, valid_to = (None, LEGACY_END) if map_ == MapVersion.LEGACY else (REFORM_DATE, None)
            values = {
                "name": name,
                "kind": kind,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "name_folded": fold(name),
                "short_folded": fold_unit_name(name),
                "parent_id": existing[parent_key].pk if parent_key else None,
                "district_id": existing[district_key].pk if district_key else None,
            }
            if level != Level.PROVINCE:
                values["province_id"] = existing[province_key].pk
            unit = existing.get((map_, lvl, code))
            if unit is None:
                new_units.append(AdminUnit(map=map_, level=lvl, code=code, **values))
            elif any(getattr(unit, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(unit, f, v)
                changed.append(unit)
        AdminUnit.objects.bulk_create(new_units, batch_size=2000)
        AdminUnit.objects.bulk_update(changed, FIELDS, batch_size=500)
        created, updated = created + len(new_units), updated + len(changed)
        if new_units:  # re-read to get primary keys on every database
            existing = {(u.map, u.level, u.code): u for u in AdminUnit.objects.all()}
    AdminUnit.objects.filter(level=Level.PROVINCE).exclude(province_id=F("id")).update(province_id=F("id"))
    existing = {(u.map, u.level, u.code): u for u in AdminUnit.objects.all()}
    new_successions = _load_successions(existing)
    MapDataset.objects.update_or_create(
        pk=1,
        defaults={
            "package_version": vietnam_provinces.__version__,
            "data_version": vietnam_provinces.__data_version__,
            "counts": {
                f"{m}_{lv}": AdminUnit.objects.filter(map=m, level=lv).count()
                for m in MapVersion.values
                for lv in Level.values
            },
        },
    )
    return {"created": created, "updated": updated, "successions": new_successions}


FIELDS = [
    "name",
    "kind",
    "valid_from",
    "valid_to",
    "name_folded",
    "short_folded",
    "parent",
    "province",
    "district",
]


def _load_successions(units):
    L, C = MapVersion.LEGACY, MapVersion.CURRENT
    have = set(Succession.objects.values_list("old_id", "new_id"))
    wanted = {}
    province_pairs = set()
    for old_code, entry in OLD_TO_NEW.items():
        old = units.get((L, Level.COMMUNE, _code(old_code, 5)))
        if old is None:
            continue
        for ref in entry.new_wards:
            new = units.get((C, Level.COMMUNE, _code(ref.code, 5)))
            if new is None:
                continue
            wanted[(old.pk, new.pk)] = entry.old_ward.is_partly_merged or len(entry.new_wards) > 1
            province_pairs.add((old.province_id, new.province_id))
    # Provinces: an old province succeeds into every new province that received one of its communes.
    old_provinces_parts = {}
    for old_id, new_id in province_pairs:
        old_provinces_parts.setdefault(old_id, set()).add(new_id)
    for old_id, news in old_provinces_parts.items():
        for new_id in news:
            wanted[(old_id, new_id)] = len(news) > 1
    missing = [
        Succession(old_id=o, new_id=n, partial=p) for (o, n), p in wanted.items() if (o, n) not in have
    ]
    Succession.objects.bulk_create(missing, batch_size=5000)
    return len(missing)
