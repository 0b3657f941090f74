from django.contrib import admin

from .models import ActivityLog


class ReadOnlyAdminMixin:
    """For data whose every change goes through a domain function (permission check, one ActivityLog
    row, side effects): the Django admin shows it and changes nothing. Edit it in the office pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    actions = None


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "action")
    readonly_fields = [f.name for f in ActivityLog._meta.fields]
