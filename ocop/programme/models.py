"""Programme management: yearly plans with targets, training courses, support to producers,
consultancy units. Progress against targets is never stored: `ocop.reports.kpis.plan_progress`
computes it from certificates, sale points and training records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel

from .enums import AttendeeKind, Audience, FundingSource, Indicator, SupportKind


class Plan(TimeStampedModel):
    """A province's (or a commune's) OCOP plan for one year, e.g. KH 984/KH-UBND of 24/02/2022."""

    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("province or commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    reference = models.CharField(_("document number"), max_length=80, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_plan_per_unit_year")]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return f"{self.title} ({self.year})"

    def province_unit(self):
        return self.unit if self.unit.level == "province" else self.unit.province


class Target(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["plan", "indicator"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator"], name="unique_target_indicator")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.value}"


class ConsultancyUnit(TimeStampedModel):
    """An organisation that helps producers with products and dossiers (đơn vị tư vấn)."""

    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    services = models.TextField(_("services offered"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="unique_consultancy_name")]
        verbose_name = _("consultancy unit")
        verbose_name_plural = _("consultancy units")

    def __str__(self):
        return self.name


class TrainingCourse(TimeStampedModel):
    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.BOTH)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    consultancy_unit = models.ForeignKey(
        ConsultancyUnit,
        verbose_name=_("consultancy unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self):
        return self.title


class Attendee(models.Model):
    """One person at a course: an official (a user account) or a producer's representative."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendees")
    kind = models.CharField(_("kind"), max_length=10, choices=AttendeeKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    producer = models.ForeignKey(
        "registry.Producer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="unique_attendee_user"),
            models.UniqueConstraint(fields=["course", "producer"], name="unique_attendee_producer"),
        ]
        verbose_name = _("attendee")

    def __str__(self):
        return self.name


class SupportRecord(TimeStampedModel):
    """Support given to a producer: consultancy, funding, credit, packaging, IP, growing-area codes…"""

    producer = models.ForeignKey(
        "registry.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "registry.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    amount = models.DecimalField(_("amount (VND)"), max_digits=15, decimal_places=0, null=True, blank=True)
    given_on = models.DateField(_("date"))
    source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices, blank=True)
    consultancy_unit = models.ForeignKey(
        ConsultancyUnit,
        verbose_name=_("consultancy unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_records",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["given_on"])]
        verbose_name = _("support record")
        verbose_name_plural = _("support records")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.producer}"

    def scope_communes(self):
        return self.producer.scope_communes()
