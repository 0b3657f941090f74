import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel

from .enums import CertificateKind, CertificateSource, CertificateStatus, NoticeChannel, PostCheckResult


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Certificates in force on `day`: issued_on <= day < expires_on (or the Art. 12.3 extension's end),
        not revoked or superseded by then. An internal hold during a post-check is not a public status
        (QĐ 26/2026 has no suspension) and does not change validity."""
        return self.filter(
            Q(issued_on__lte=day)
            & (Q(expires_on__gt=day) | Q(extended_to__gt=day))
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
            & (Q(superseded_on__isnull=True) | Q(superseded_on__gt=day))
        )


class Certificate(TimeStampedModel):
    """A recognition certificate (giấy chứng nhận) for one product at one star level."""

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="certificates")
    star = models.PositiveSmallIntegerField(_("stars"), choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    potential_5_star = models.BooleanField(_("potential 5★"), default=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=14, choices=CertificateKind.choices, default=CertificateKind.NEW
    )
    source = models.CharField(
        max_length=10, choices=CertificateSource.choices, default=CertificateSource.DECISION
    )
    criteria_set = models.CharField(_("criteria set"), max_length=30, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuer_name = models.CharField(_("issued by"), max_length=200)
    issuer_unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), help_text=_("first day on which it is no longer valid"))
    extended_to = models.DateField(
        _("kept in force until"),
        null=True,
        blank=True,
        help_text=_(
            "QĐ 26/2026 Art. 12.3: under re-evaluation, in force until the result, at most 180 days after the end "
            "(first day no longer valid)."
        ),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_ground = models.CharField(_("revocation ground"), max_length=40, blank=True)
    revocation_note = models.TextField(_("revocation details"), blank=True)
    revocation_decision = models.CharField(_("revocation decision"), max_length=60, blank=True)
    revocation_concluded_on = models.DateField(
        _("conclusion of the competent authority on"),
        null=True,
        blank=True,
        help_text=_("QĐ 26/2026 Art. 8.4: the revocation is due within 15 days of this date."),
    )
    revocation_authority = models.CharField(_("revoked by"), max_length=120, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_lifted_on = models.DateField(_("suspension lifted on"), null=True, blank=True)
    suspension_reason = models.TextField(_("suspension reason"), blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    # The producer's commune on each map when the certificate was issued: the certificate stays in the
    # scope of the province that issued it, wherever the producer moves later.
    legacy_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        indexes = [
            models.Index(fields=["issued_on", "expires_on"]),
            models.Index(fields=["product", "-issued_on"]),
            models.Index(fields=["decision_number", "decision_date"]),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.number} ({self.star}★)"

    @property
    def valid_until(self):
        """The last valid day."""
        return self.expires_on - datetime.timedelta(days=1)

    def end_on(self):
        """First day no longer valid, counting an Art. 12.3 extension."""
        return max(self.expires_on, self.extended_to or self.expires_on)

    @property
    def revocation_ground_label(self):
        from .enums import revocation_ground_label

        return revocation_ground_label(self.revocation_ground)

    def is_extended_on(self, day):
        return self.extended_to is not None and self.expires_on <= day < self.extended_to

    def is_suspended_on(self, day):
        """An internal hold during a post-check (office only; not a public status)."""
        return bool(
            self.suspended_on
            and self.suspended_on <= day
            and not (self.suspension_lifted_on and self.suspension_lifted_on <= day)
        )

    def status_on(self, day):
        """The public status on `day`. QĐ 26/2026 knows no suspension: SUSPENDED is never produced."""
        if self.revoked_on and self.revoked_on <= day:
            return CertificateStatus.REVOKED
        if self.superseded_on and self.superseded_on <= day:
            return CertificateStatus.SUPERSEDED
        if day < self.issued_on:
            return CertificateStatus.NOT_YET
        if day >= self.end_on():
            return CertificateStatus.EXPIRED
        if self.is_extended_on(day):
            return CertificateStatus.VALID
        if (self.expires_on - day).days <= settings.CERTIFICATE_EXPIRING_DAYS:
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    def is_valid_on(self, day):
        return self.status_on(day) in (CertificateStatus.VALID, CertificateStatus.EXPIRING)

    def scope_communes(self):
        if self.legacy_commune_id is None and self.current_commune_id is None:
            return self.product.producer.scope_communes()
        return self.legacy_commune, self.current_commune

    def take_scope_from(self, producer):
        """The issuing scope: the producer's communes now (called when the certificate is created)."""
        self.legacy_commune_id, self.current_commune_id = producer.legacy_commune_id, producer.current_commune_id

    def save(self, *args, **kwargs):
        if self.pk is None and self.legacy_commune_id is None and self.current_commune_id is None:
            self.take_scope_from(self.product.producer)
        super().save(*args, **kwargs)


class NumberPattern(TimeStampedModel):
    """A province's certificate number pattern (fields: province, commune, seq, year)."""

    province = models.OneToOneField(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    pattern = models.CharField(_("number pattern"), max_length=80)

    class Meta:
        verbose_name = _("certificate number pattern")

    def __str__(self):
        return f"{self.province}: {self.pattern}"


class PostCheck(TimeStampedModel):
    """A post-certification check (hậu kiểm): date, team, findings and result."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="post_checks")
    checked_on = models.DateField(_("checked on"))
    team = models.CharField(_("inspection team"), max_length=255)
    findings = models.TextField(_("findings"))
    result = models.CharField(_("result"), max_length=10, choices=PostCheckResult.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("post-certification check")

    def __str__(self):
        return f"{self.certificate.number} {self.checked_on}"


class ExpiryNotice(models.Model):
    """One notice per (certificate, threshold): created once, claimed once by a conditional update
    (healthchecks' Flip), so a rerun or a restarted worker never sends twice."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="expiry_notices")
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=NoticeChannel.choices, blank=True)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_notice_per_threshold")
        ]
        verbose_name = _("expiry notice")

    def __str__(self):
        return f"{self.certificate.number} −{self.days_before}d"
