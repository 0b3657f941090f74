from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain import move_roles_to_successor
from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit", "producer")


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
