from django.contrib import admin

from .models import Producer, Product, ProductPhoto


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "tax_code", "commune", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "name_folded", "tax_code")
    raw_id_fields = ("commune", "legacy_commune", "current_commune")


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "producer", "product_set", "status")
    list_filter = ("product_set", "status")
    search_fields = ("name", "name_folded", "gtin")
    raw_id_fields = ("producer",)
    inlines = [PhotoInline]
