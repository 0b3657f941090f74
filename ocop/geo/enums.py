import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_END = datetime.date(2025, 6, 30)


class MapVersion(models.TextChoices):
    LEGACY = "legacy", _("before 1/7/2025 (63 provinces)")
    CURRENT = "current", _("from 1/7/2025 (34 provinces)")


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", _("province")
    CITY = "thanh_pho_tw", _("centrally-run city")
    URBAN_DISTRICT = "quan", _("urban district")
    DISTRICT = "huyen", _("rural district")
    TOWN = "thi_xa", _("district-level town")
    PROVINCIAL_CITY = "thanh_pho", _("provincial city")
    COMMUNE = "xa", _("commune")
    WARD = "phuong", _("ward")
    TOWNSHIP = "thi_tran", _("township")
    SPECIAL_ZONE = "dac_khu", _("special zone")


# vietnam-provinces division types -> our kinds
PACKAGE_KINDS = {
    "tỉnh": UnitKind.PROVINCE,
    "thành phố trung ương": UnitKind.CITY,
    "huyện": UnitKind.DISTRICT,
    "quận": UnitKind.URBAN_DISTRICT,
    "thị xã": UnitKind.TOWN,
    "thành phố": UnitKind.PROVINCIAL_CITY,
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "thị trấn": UnitKind.TOWNSHIP,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}


def map_for(day):
    """The administrative map in force on `day`."""
    return MapVersion.LEGACY if day < REFORM_DATE else MapVersion.CURRENT


def commune_field(day):
    """The commune field of a producer (and of a catalogue row) on the map in force on `day`:
    "legacy_commune" or "current_commune". The one place the map decides which commune a report,
    the catalogue, the API and the open data count a producer in."""
    return f"{map_for(day).value}_commune"
