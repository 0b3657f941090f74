"""Producers and products are changed only through ocop.registry.domain (office pages, import), which
checks scope and writes the activity log: the Django admin shows them read-only."""

from django.contrib import admin

from ocop.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Producer, Product, ProductPhoto


@admin.register(Producer)
class ProducerAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "tax_code", "commune", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "name_folded", "tax_code")
    raw_id_fields = ("commune", "legacy_commune", "current_commune")


class PhotoInline(ReadOnlyTabularInline):
    model = ProductPhoto


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("name", "producer", "product_set", "status")
    list_filter = ("product_set", "status")
    search_fields = ("name", "name_folded", "gtin")
    raw_id_fields = ("producer",)
    inlines = [PhotoInline]
