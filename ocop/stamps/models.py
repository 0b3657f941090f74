from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel

from .enums import BatchState, Device, SignalKind, SignalStatus, Verdict


class StampBatch(TimeStampedModel):
    """A batch of stamps for one certified product: one row for up to a million serials."""

    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="stamp_batches", verbose_name=_("product")
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        related_name="stamp_batches",
        verbose_name=_("certificate"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    key_id = models.PositiveSmallIntegerField()
    state = models.CharField(
        _("state"), max_length=10, choices=BatchState.choices, default=BatchState.REQUESTED
    )
    lot_number = models.CharField(_("lot number"), max_length=40, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    origin = models.CharField(_("origin of raw materials"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    block_reason = models.TextField(_("reason for blocking"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "-created_at"])]
        verbose_name = _("stamp batch")
        verbose_name_plural = _("stamp batches")

    def __str__(self):
        return f"#{self.pk} {self.product} × {self.quantity}"

    def scope_communes(self):
        return self.product.producer.scope_communes()

    @property
    def producer_id(self):
        return self.product.producer_id


class Scan(models.Model):
    """One opening of a verify URL. Append-only; partition by month in production (see docs).

    No personal data: no address, only a coarse place (region, coordinates rounded to 0.1°) when the
    proxy supplies it, and the kind of device."""

    serial = models.CharField(max_length=19)
    batch_id = models.PositiveIntegerField(db_index=False)
    scanned_at = models.DateTimeField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    region = models.CharField(max_length=64, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    device = models.CharField(max_length=8, choices=Device.choices, default=Device.OTHER)
    # False for a repeat by the same client within VERIFY_REPEAT_SECONDS: logged, not counted (the
    # count shown on the page and the "scanned many times" signal count only counted rows).
    counted = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["serial", "scanned_at"]),
            models.Index(fields=["batch_id", "scanned_at"]),
            models.Index(fields=["scanned_at"]),
        ]
        verbose_name = _("scan")

    def __str__(self):
        return f"{self.serial} {self.scanned_at:%Y-%m-%d %H:%M}"


class CounterfeitSignal(TimeStampedModel):
    """A serial that looks copied: created once per (serial, kind), updated as scans come in."""

    serial = models.CharField(_("serial"), max_length=19)
    batch = models.ForeignKey(StampBatch, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(_("signal"), max_length=12, choices=SignalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    scans = models.PositiveIntegerField(_("scans"), default=0)
    first_scan_at = models.DateTimeField(_("first scan"), null=True)
    last_scan_at = models.DateTimeField(_("last scan"), null=True)
    places = models.JSONField(_("places"), default=list, blank=True)

    class Meta:
        ordering = ["-last_scan_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["serial", "kind"], name="one_signal_per_serial_kind")]
        indexes = [models.Index(fields=["status", "-last_scan_at"])]
        verbose_name = _("counterfeit signal")

    def __str__(self):
        return f"{self.serial} {self.kind}"

    def scope_communes(self):
        return self.batch.scope_communes()
