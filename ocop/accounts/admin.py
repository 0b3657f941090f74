"""Accounts in the Django admin (where officers' accounts are made). Every change leaves an ActivityLog
row: roles are given and taken through `assign_role` / `revoke_role` (an existing role is not edited in
place: take it away and give the new one), and each account change (created, changed, password set,
deleted) is recorded by `record_account_change`."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .domain import assign_role, move_roles_to_successor, record_account_change, revoke_role
from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit", "producer")

    def has_change_permission(self, request, obj=None):
        return False  # existing rows are shown read-only; new rows and deletions go through the domain


def _own_fields(message):
    """The account's own changed fields in an admin change message (inline rows are logged apart)."""
    if isinstance(message, str):
        return [message] if message else []
    fields = []
    for entry in message or []:
        changed = entry.get("changed") or {}
        if "name" not in changed:
            fields += changed.get("fields", [])
    return fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    actions = ["move_to_successor"]

    @admin.action(description=gettext_lazy("Move roles of former units to their successors (1/7/2025)"))
    def move_to_successor(self, request, queryset):
        moved = 0
        for user in queryset:
            moved += len(move_roles_to_successor(user, actor=request.user))
        self.message_user(
            request, _("%(n)s roles moved to the current map.") % {"n": moved}, messages.SUCCESS
        )

    fieldsets = (*BaseUserAdmin.fieldsets, ("OCOP", {"fields": ("full_name", "phone", "language")}))

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        new = formset.save(commit=False)  # fills new_objects / deleted_objects for the change message
        for assignment in formset.deleted_objects:
            # the stored row, not the form's copy (a read-only row's form may hold blanks)
            revoke_role(RoleAssignment.objects.get(pk=assignment.pk), actor=request.user)
        for assignment in new:
            if assignment.pk is None:
                assign_role(
                    form.instance,
                    assignment.role,
                    actor=request.user,
                    unit=assignment.unit,
                    producer=assignment.producer,
                )
        return None

    def log_addition(self, request, obj, message):
        record_account_change(obj, actor=request.user, action="created", fields=[])
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = _own_fields(message)
        if fields:
            record_account_change(obj, actor=request.user, action="changed", fields=fields)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for user in queryset:
            record_account_change(user, actor=request.user, action="deleted", fields=[])
        return super().log_deletions(request, queryset)


class TOTPDeviceAdmin(BaseTOTPDeviceAdmin):
    """django-otp's device views look the device up with `objects.get`: an unknown id was a 500."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
