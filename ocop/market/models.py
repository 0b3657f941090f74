"""Market data: sale points (with QĐ 950 criteria), online listings, fairs and tourism routes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.text import fold
from ocop.geo.models import Located

from .enums import FairKind, ListingCheck, Platform, SalePointKind, SalePointStatus

LAT_RANGE = (8.0, 23.5)  # Vietnam, Cà Mau cape to Lũng Cú
LNG_RANGE = (102.0, 110.0)


class SalePoint(TimeStampedModel, Located):
    """A place where OCOP products are sold: OCOP point, supermarket, shop or tourist stop."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=SalePointKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SalePointStatus.choices, default=SalePointStatus.ACTIVE
    )
    address = models.CharField(_("street address"), max_length=255)
    # commune, legacy_commune, current_commune, latitude, longitude: `ocop.geo.models.Located`
    opening_hours = models.CharField(
        _("opening hours"), max_length=120, blank=True, help_text=_("e.g. 7:00–21:00 every day")
    )
    phone = models.CharField(_("business phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    operator = models.ForeignKey(
        "registry.Producer",
        verbose_name=_("run by producer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_sale_points",
    )
    tourism_product = models.ForeignKey(
        "registry.Product",
        verbose_name=_("OCOP tourism product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tourism_sites",
    )
    criteria = models.JSONField(_("QĐ 950 criteria met"), default=list, blank=True)
    products = models.ManyToManyField(
        "registry.Product", verbose_name=_("products carried"), blank=True, related_name="sale_points"
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "kind"])]
        verbose_name = _("sale point")
        verbose_name_plural = _("sale points")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if self.latitude is not None and not LAT_RANGE[0] <= float(self.latitude) <= LAT_RANGE[1]:
            errors["latitude"] = _("The latitude must lie in Vietnam (between 8 and 23.5).")
        if self.longitude is not None and not LNG_RANGE[0] <= float(self.longitude) <= LNG_RANGE[1]:
            errors["longitude"] = _("The longitude must lie in Vietnam (between 102 and 110).")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **self.save_fields(kwargs, "name_folded"))


class OnlineListing(TimeStampedModel):
    """A product's page on an e-commerce platform or website."""

    product = models.ForeignKey(
        "registry.Product",
        on_delete=models.CASCADE,
        related_name="online_listings",
        verbose_name=_("product"),
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    url = models.URLField(_("link"), max_length=500)
    check_result = models.CharField(
        _("check result"), max_length=10, choices=ListingCheck.choices, default=ListingCheck.UNCHECKED
    )
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["platform", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="unique_listing_url")]
        verbose_name = _("online listing")
        verbose_name_plural = _("online listings")

    def __str__(self):
        return f"{self.get_platform_display()}: {self.url}"

    def scope_communes(self):
        return self.product.scope_communes()


class Fair(TimeStampedModel):
    """A trade fair or promotion event, with its participants and (afterwards) its results."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=FairKind.choices, default=FairKind.FAIR)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=255)
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("organising province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    description = models.TextField(_("description"), blank=True)
    results_note = models.TextField(_("results"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("fair or trade event")
        verbose_name_plural = _("fairs and trade events")

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The event cannot end before it starts.")})


class FairParticipant(TimeStampedModel):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="participants")
    producer = models.ForeignKey("registry.Producer", on_delete=models.PROTECT, related_name="fairs")
    products = models.ManyToManyField("registry.Product", blank=True, related_name="fair_participations")
    contracts_count = models.PositiveIntegerField(_("contracts signed"), null=True, blank=True)
    contracts_value = models.PositiveBigIntegerField(_("value of contracts (VND)"), null=True, blank=True)
    sales_value = models.PositiveBigIntegerField(_("sales at the event (VND)"), null=True, blank=True)

    class Meta:
        ordering = ["producer__name"]
        constraints = [models.UniqueConstraint(fields=["fair", "producer"], name="unique_fair_producer")]

    def __str__(self):
        return f"{self.producer} @ {self.fair}"


class TourismRoute(TimeStampedModel):
    """A tour or route whose stops sell OCOP products."""

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    duration = models.CharField(_("duration"), max_length=60, blank=True)
    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tourism route")
        verbose_name_plural = _("tourism routes")

    def __str__(self):
        return self.name


class RouteStop(models.Model):
    route = models.ForeignKey(TourismRoute, on_delete=models.CASCADE, related_name="stops")
    sale_point = models.ForeignKey(SalePoint, on_delete=models.PROTECT, related_name="route_stops")
    position = models.PositiveSmallIntegerField()
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["route", "position"]
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="unique_route_position")]

    def __str__(self):
        return f"{self.route} #{self.position}: {self.sale_point}"


__all__ = ["Platform"]
