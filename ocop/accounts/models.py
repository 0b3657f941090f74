from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .enums import STAFF_ROLES, Role


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=5, default="vi", choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an officer gives a one-time password; cleared when the user chooses theirs."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def assignments(self):
        return list(self.roles.select_related("unit", "unit__province", "producer"))

    def role_set(self):
        return {a.role for a in self.assignments}

    def has_role(self, *roles):
        return bool(self.is_superuser and Role.ADMIN in roles) or bool(self.role_set() & set(roles))

    def units(self, *roles):
        return [a.unit for a in self.assignments if a.role in roles and a.unit_id]

    @property
    def is_platform_staff(self):
        return self.is_superuser or bool(self.role_set() & STAFF_ROLES)

    @cached_property
    def producer(self):
        for a in self.assignments:
            if a.role == Role.PRODUCER and a.producer_id:
                return a.producer
        return None


class RoleAssignment(models.Model):
    """A role held by a user, scoped to an administrative unit (officers) or to a producer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    producer = models.ForeignKey(
        "registry.Producer", null=True, blank=True, on_delete=models.CASCADE, related_name="accounts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "producer"], name="unique_role_assignment"
            )
        ]
        verbose_name = _("role assignment")

    def __str__(self):
        scope = self.unit or self.producer or ""
        return f"{self.get_role_display()} {scope}".strip()
