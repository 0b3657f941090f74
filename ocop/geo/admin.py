"""The administrative maps are data transcribed from the law and loaded by `manage.py load_admin_units`
(idempotent): the Django admin shows them read-only."""

from django.contrib import admin

from ocop.core.admin import ReadOnlyAdmin

from .models import AdminUnit, MapDataset, Succession


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "map", "province")
    list_filter = ("map", "level", "kind")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent", "province", "district")


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = ("old", "new", "partial")
    raw_id_fields = ("old", "new")


@admin.register(MapDataset)
class MapDatasetAdmin(ReadOnlyAdmin):
    pass
