from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit", "producer")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    fieldsets = (*BaseUserAdmin.fieldsets, ("OCOP", {"fields": ("full_name", "phone", "language")}))
