from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.text import fold
from ocop.geo.models import Located

from .enums import (
    PRODUCT_SET_VI,
    ChangeRequestStatus,
    ProducerKind,
    ProducerStatus,
    ProductSet,
    ProductStatus,
    group_of,
)
from .validators import validate_gtin, validate_tax_code


class Producer(TimeStampedModel, Located):
    """A product owner (chủ thể OCOP)."""

    name = models.CharField(_("legal name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=ProducerKind.choices)
    tax_code = models.CharField(
        _("tax / business registration code"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_tax_code],
    )
    representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    # commune, legacy_commune, current_commune, latitude, longitude: `ocop.geo.models.Located`
    women_led = models.BooleanField(_("women-led"), default=False)
    ethnic_minority_led = models.BooleanField(_("ethnic-minority-led"), default=False)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    workers_count = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    description = models.TextField(_("profile"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProducerStatus.choices, default=ProducerStatus.ACTIVE
    )
    phone_public = models.BooleanField(_("publish phone number"), default=False)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("backoffice:producer_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **self.save_fields(kwargs, "name_folded"))


class Product(TimeStampedModel):
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("product name"), max_length=255)
    product_set = models.PositiveSmallIntegerField(_("product set"), choices=ProductSet.choices)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    packaging = models.CharField(_("packaging and size"), max_length=255, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    gtin = models.CharField(
        _("GTIN (barcode)"), max_length=14, blank=True, validators=[validate_gtin], db_index=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProductStatus.choices, default=ProductStatus.ACTIVE
    )
    code = models.CharField(_("OCOP product code"), max_length=40, blank=True, db_index=True)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("backoffice:product_detail", args=[self.pk])

    @property
    def group(self):
        return group_of(self.product_set)

    @property
    def product_set_vi(self):
        return PRODUCT_SET_VI[self.product_set]

    def scope_communes(self):
        return self.producer.scope_communes()

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)


def product_photo_path(instance, filename):
    return f"products/{instance.product_id}/{filename}"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=product_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name


class ChangeRequest(TimeStampedModel):
    """A change a producer asked for that only the office may make: its commune (and so its province)
    or its tax code; a certified product's name, product set or OCOP code. The office approves
    (the change is applied) or refuses it; one pending request per producer or product."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="change_requests"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    # {field: {"from": value, "to": value, "from_label": text, "to_label": text}}; values as stored
    # (a commune by its id), labels as shown when the request was made.
    changes = models.JSONField(_("changes"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("office note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"#{self.pk} {self.target}"

    @property
    def target(self):
        return self.product if self.product_id else self.producer

    def get_absolute_url(self):
        return reverse("backoffice:change_request", args=[self.pk])

    def rows(self):
        """[(field label, value before, value asked)] for pages."""
        model = Product if self.product_id else Producer
        return [
            (model._meta.get_field(name).verbose_name, c.get("from_label") or "—", c.get("to_label") or "—")
            for name, c in self.changes.items()
        ]

    def scope_communes(self):
        return self.producer.scope_communes()


class TraceCode(TimeStampedModel):
    """A traceability fact of a product: a growing-area code (mã số vùng trồng) or a facility code
    (mã số cơ sở đóng gói / cơ sở sản xuất), with the body that issued it and its dates."""

    class Kind(models.TextChoices):
        GROWING_AREA = "growing_area", _("Growing-area code")
        FACILITY = "facility", _("Facility code")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="trace_codes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "kind", "code"], name="unique_trace_code_per_product")
        ]
        verbose_name = _("traceability code")
        verbose_name_plural = _("traceability codes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"

    def scope_communes(self):
        return self.product.scope_communes()

    def is_valid_on(self, day):
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)
