from django.contrib import admin

from .models import AdminUnit, MapDataset, Succession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "map", "province")
    list_filter = ("map", "level", "kind")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent", "province", "district")


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("old", "new", "partial")
    raw_id_fields = ("old", "new")


admin.site.register(MapDataset)
