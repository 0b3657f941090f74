"""The public catalogue's read model (refreshed by `ocop.catalog.readmodel`).

One `CatalogEntry` row per product and validity segment: a span of days [valid_from, valid_until)
during which the product is public and holds at least one certificate in force, with the same
certificates in force throughout. Most products have one row; a product re-recognised, upgraded,
suspended or with overlapping certificates has one row per span. "Certified on day D" is the plain
range filter `valid_from <= D < valid_until`, which finds at most one row per product, and the
row carries everything the catalogue filters and sorts on, so a search touches one table.

Revocation, suspension (until lifted) and supersession are folded into the spans, exactly as
`Certificate.objects.valid_on` reads them; expiry needs no refresh (the span simply ends)."""

from django.db import models


class CatalogEntry(models.Model):
    product = models.ForeignKey("registry.Product", on_delete=models.CASCADE, related_name="catalog_entries")
    valid_from = models.DateField()
    valid_until = models.DateField(help_text="first day of no longer being in the span (exclusive)")

    # The product and its producer (public products of active producers only).
    name = models.CharField(max_length=255)
    name_folded = models.CharField(max_length=255)
    product_set = models.PositiveSmallIntegerField()
    product_group = models.PositiveSmallIntegerField()
    producer = models.ForeignKey(
        "registry.Producer", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    producer_kind = models.CharField(max_length=24)
    producer_name = models.CharField(max_length=255, default="")
    legacy_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    legacy_province = models.ForeignKey(
        "geo.AdminUnit", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    current_commune = models.ForeignKey(
        "geo.AdminUnit", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    current_province = models.ForeignKey(
        "geo.AdminUnit", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    # Where to buy (active sale points carrying it by kind; a listing not found broken).
    in_ocop_point = models.BooleanField(default=False)
    in_supermarket = models.BooleanField(default=False)
    in_shop = models.BooleanField(default=False)
    in_tourism_site = models.BooleanField(default=False)
    online = models.BooleanField(default=False)

    # The certificates in force during the span.
    star = models.PositiveSmallIntegerField(help_text="highest star in force")
    star_3 = models.BooleanField(default=False)
    star_4 = models.BooleanField(default=False)
    star_5 = models.BooleanField(default=False)
    potential_5_star = models.BooleanField(
        default=False, help_text="any certificate in force is potential 5★"
    )
    certified_on = models.DateField(help_text="latest issued_on of the certificates in force")
    # The certificate shown on cards and in the API: highest star, then latest issued, then latest id.
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    certificate_number = models.CharField(max_length=40)
    certificate_potential_5_star = models.BooleanField(default=False)
    certificate_expires_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="catalog_entry_one_span_start")
        ]
        indexes = [
            models.Index(fields=["valid_until", "valid_from"], name="catalog_entry_span"),
            models.Index(fields=["-certified_on", "product"], name="catalog_entry_newest"),
            models.Index(fields=["name_folded", "product"], name="catalog_entry_name"),
            models.Index(fields=["star", "name_folded"], name="catalog_entry_star"),
            models.Index(fields=["producer_kind"], name="catalog_entry_kind"),
            models.Index(fields=["product_set"], name="catalog_entry_set"),
            models.Index(fields=["product_group"], name="catalog_entry_group"),
        ]

    def __str__(self):
        return f"{self.name} [{self.valid_from}, {self.valid_until})"
