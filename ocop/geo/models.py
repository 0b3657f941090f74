from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Level, MapVersion, UnitKind


class AdminUnit(models.Model):
    """A province, district or commune on one of the two maps. Units are never deleted."""

    map = models.CharField(_("map"), max_length=10, choices=MapVersion.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("GSO code"), max_length=5)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the unit's province",
    )
    district = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="legacy communes only",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    short_folded = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["map", "level", "code"], name="unique_unit_code")]
        indexes = [models.Index(fields=["map", "level", "province"])]
        ordering = ["map", "level", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        parts = [self.name]
        if self.district_id:
            parts.append(self.district.name)
        if self.province_id and self.province_id != self.pk:
            parts.append(self.province.name)
        return ", ".join(parts)

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Succession(models.Model):
    """Old unit -> new unit at the 1/7/2025 reform. `partial`: only part of the old unit went there."""

    old = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    partial = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="unique_succession")]

    def __str__(self):
        return f"{self.old} -> {self.new}{' (part)' if self.partial else ''}"


class MapDataset(models.Model):
    """Which version of the vietnam-provinces data is loaded."""

    package_version = models.CharField(max_length=30)
    data_version = models.CharField(max_length=30)
    loaded_at = models.DateTimeField(auto_now=True)
    counts = models.JSONField(default=dict)

    def __str__(self):
        return f"vietnam-provinces {self.package_version} (data {self.data_version})"


class Located(models.Model):
    """Where a producer or a sale point is: its commune as entered, that commune on each map (derived
    through the succession table on save, so questions asked before and after 1/7/2025 are simple
    joins), and an optional point. One definition for `registry.Producer` and `market.SalePoint`."""

    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune"},
    )
    legacy_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        abstract = True

    def scope_communes(self):
        return self.legacy_commune, self.current_commune

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def derive_communes(self):
        """Fill legacy_commune and current_commune from commune (the succession table decides)."""
        self.legacy_commune = legacy_commune_for(self.commune)
        self.current_commune = current_commune_for(self.commune)

    def save_fields(self, kwargs, *extra):
        """Before `save(**kwargs)`: derive the communes when `commune` changed, and add what was derived
        (and `extra`, the subclass's computed fields) to `update_fields` when the caller gave them."""
        extra = set(extra)
        if self.commune_id and self.commune_id not in (self.legacy_commune_id, self.current_commune_id):
            self.derive_communes()
            extra |= {"legacy_commune", "current_commune"}
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        return kwargs


# Successions between the maps (also named in `geo.queries`) ---------------------------------------


def current_successors(unit):
    return AdminUnit.objects.filter(predecessions__old=unit).order_by("code")


def legacy_predecessors(unit):
    return AdminUnit.objects.filter(successions__new=unit).order_by("code")


def current_commune_for(commune):
    """The one current commune a legacy commune's records move to (the first when it was split)."""
    if commune is None or commune.map == MapVersion.CURRENT:
        return commune
    return current_successors(commune).order_by("predecessions__partial", "code").first()


def legacy_commune_for(commune):
    if commune is None or commune.map == MapVersion.LEGACY:
        return commune
    return legacy_predecessors(commune).order_by("successions__partial", "code").first()
