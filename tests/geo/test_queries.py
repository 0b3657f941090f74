import datetime

import pytest

from ocop.geo.enums import MapVersion
from ocop.geo.loader import load_admin_units
from ocop.geo.models import AdminUnit, MapDataset, Succession
from ocop.geo.queries import (
    communes_of,
    current_commune_for,
    current_successors,
    find_unit,
    legacy_predecessors,
    province_at,
    unit_at,
)

pytestmark = pytest.mark.integration

BEFORE = datetime.date(2022, 7, 31)
AFTER = datetime.date(2025, 11, 26)


def test_maps_have_the_official_counts(admin_units):
    counts = MapDataset.objects.get().counts
    assert counts == {
        "legacy_province": 63,
        "legacy_district": 696,
        "legacy_commune": 10051,
        "current_province": 34,
        "current_district": 0,
        "current_commune": 3321,
    }


def test_load_admin_units_is_idempotent(admin_units):
    units, links = AdminUnit.objects.count(), Succession.objects.count()
    result = load_admin_units()
    assert result == {"created": 0, "updated": 0, "successions": 0}
    assert (AdminUnit.objects.count(), Succession.objects.count()) == (units, links)


def test_code_82_means_tien_giang_before_and_dong_thap_after(admin_units):
    assert province_at("82", BEFORE).name == "Tỉnh Tiền Giang"
    assert province_at("82", AFTER).name == "Tỉnh Đồng Tháp"
    assert province_at("87", BEFORE).name == "Tỉnh Đồng Tháp"
    assert province_at("87", AFTER) is None


def test_ben_tre_and_tra_vinh_communes_resolve_into_vinh_long(admin_units):
    vinh_long = province_at("86", AFTER)
    for old_code in ("83", "84", "86"):
        old = province_at(old_code, BEFORE)
        assert [p.code for p in current_successors(old)] == ["86"]
        for commune in communes_of(old, BEFORE)[:20]:
            assert current_commune_for(commune).province == vinh_long
    assert [p.name for p in legacy_predecessors(vinh_long)] == [
        "Tỉnh Bến Tre",
        "Tỉnh Trà Vinh",
        "Tỉnh Vĩnh Long",
    ]


def test_tien_giang_and_old_dong_thap_resolve_into_current_dong_thap(admin_units):
    dong_thap = province_at("82", AFTER)
    for old_code in ("82", "87"):
        old = province_at(old_code, BEFORE)
        successors = {current_commune_for(c).province_id for c in communes_of(old, BEFORE)}
        assert successors == {dong_thap.pk}


def test_split_ward_has_several_successors_flagged_partial(admin_units):
    split = Succession.objects.filter(partial=True, old__level="commune").select_related("old").first()
    assert split is not None
    assert current_successors(split.old).count() >= 1


def test_communes_of_a_province_depend_on_the_date(admin_units):
    ben_tre = province_at("83", BEFORE)
    assert communes_of(ben_tre, BEFORE).count() == 148
    # After the reform, old Bến Tre is read as current Vĩnh Long (124 communes).
    assert communes_of(ben_tre, AFTER).count() == 124


def test_unit_at_rejects_non_numeric_codes(admin_units):
    assert unit_at("8x", "province", BEFORE) is None


@pytest.mark.parametrize("name", ["Xã Tân Thạch", "tan thach", "TÂN THẠCH", "xa tan thach"])
def test_find_unit_ignores_prefix_case_and_diacritics(admin_units, name):
    ben_tre = province_at("83", BEFORE)
    unit, reason = find_unit(name, "commune", day=BEFORE, province=ben_tre)
    assert (unit.code, reason) == ("28804", None)


def test_find_unit_needs_the_district_for_duplicate_names(admin_units):
    ben_tre = province_at("83", BEFORE)
    dupes = {}
    for c in communes_of(ben_tre, BEFORE):
        dupes.setdefault(c.short_folded, []).append(c)
    name, units = next((n, u) for n, u in dupes.items() if len(u) > 1)
    assert find_unit(name, "commune", day=BEFORE, province=ben_tre) == (None, "ambiguous")
    unit, reason = find_unit(name, "commune", day=BEFORE, province=ben_tre, district=units[0].district)
    assert (unit, reason) == (units[0], None)


def test_map_version_by_date():
    from ocop.geo.enums import map_for

    assert map_for(datetime.date(2025, 6, 30)) == MapVersion.LEGACY
    assert map_for(datetime.date(2025, 7, 1)) == MapVersion.CURRENT


def test_find_unit_accepts_a_name_that_starts_like_a_prefix(admin_units):
    quang_ngai = province_at("51", BEFORE)
    unit, reason = find_unit("Tịnh Ấn Đông", "commune", day=BEFORE, province=quang_ngai)
    assert (unit.name, reason) == ("Xã Tịnh Ấn Đông", None)
