"""Partner API tokens: created and revoked by the office, stored hashed, scoped to a province."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    REGISTRY = "registry:read", _("Producers and products")
    CERTIFICATES = "certificates:read", _("Certificate register changes")
    DOSSIERS = "dossiers:read", _("Dossier status")
    STAMPS = "stamps:read", _("Stamp batch status")


class ApiToken(models.Model):
    """One partner system's credential. The secret is shown once; only its SHA-256 is stored.

    The token a partner sends is `ocop_<prefix>_<secret>`: `prefix` finds the row without a scan,
    the hash of the whole string proves it. A token without a province sees the whole country (only
    an administrator or the ministry may create one)."""

    name = models.CharField(_("name"), max_length=100)
    partner = models.CharField(_("partner organisation"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    scopes = models.JSONField(_("scopes"), default=list)
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.partner})"

    @property
    def is_active(self):
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
