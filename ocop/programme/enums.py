from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """What a plan's target counts. Progress is computed from the data (ocop.reports.kpis)."""

    NEW_PRODUCTS = "new_products", _("New products at 3★ or more")
    RECERTIFIED = "recertified", _("Re-certified products")
    UPGRADED = "upgraded", _("Upgraded products")
    TOURISM_PRODUCTS = "tourism_products", _("Community tourism products at 3★ or more")
    FIVE_STAR_NOMINATIONS = "five_star", _("Products proposed for 5★")
    COMMUNES_COVERED = "communes_covered", _("Communes with an OCOP product")
    SALE_POINTS = "sale_points", _("OCOP sale points")
    MODERN_CHANNEL_PRODUCTS = "modern_channels", _("Products on modern channels")
    PRODUCERS_TRAINED = "producers_trained", _("Producers trained")
    OFFICIALS_TRAINED = "officials_trained", _("Officials trained")
    # Combined count, as plans write it: "45 products a year, new, re-recognised and upgraded together".
    RECOGNISED_TOTAL = "recognised_total", _("Products recognised in the year (new, re-recognised, upgraded)")
    # Shares (the target is a percentage, 0–100).
    SHARE_OFFICIALS_TRAINED = "share_officials", _("Share of OCOP officials trained (%)")
    SHARE_PRODUCERS_TRAINED = "share_producers", _("Share of OCOP producers trained (%)")
    SHARE_COOPERATIVES = "share_cooperatives", _("Share of producers that are cooperatives (%)")
    SHARE_MODERN_CHANNELS = "share_modern", _("Share of producers on modern channels (%)")
    SHARE_ON_CATALOGUE = "share_catalogue", _("Share of products on the provincial site (%)")


SHARE_INDICATORS = {
    Indicator.SHARE_OFFICIALS_TRAINED,
    Indicator.SHARE_PRODUCERS_TRAINED,
    Indicator.SHARE_COOPERATIVES,
    Indicator.SHARE_MODERN_CHANNELS,
    Indicator.SHARE_ON_CATALOGUE,
}


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("OCOP officials")
    PRODUCERS = "producers", _("Producers")
    BOTH = "both", _("Officials and producers")


class AttendeeKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PRODUCER = "producer", _("Producer")


class SupportKind(models.TextChoices):
    CONSULTANCY = "consultancy", _("Dossier and product consultancy")
    FUNDING = "funding", _("Funding")
    CREDIT = "credit", _("Credit")
    PACKAGING = "packaging", _("Packaging design")
    LABEL = "label", _("Labels")
    BARCODE = "barcode", _("Barcodes")
    IP = "ip", _("Trademark and intellectual property")
    TRACEABILITY = "traceability", _("Traceability stamps")
    GROWING_AREA = "growing_area", _("Growing-area codes")
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion and fairs")
    EQUIPMENT = "equipment", _("Equipment and technology")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    NTM = "ntm", _("New rural development programme")
    PROVINCE = "province", _("Provincial budget")
    EXTENSION = "extension", _("Industrial extension fund")
    CREDIT = "credit", _("Credit institutions")
    SOCIAL = "social", _("Producer and other sources")
