from django.db import models
from django.utils.translation import gettext_lazy as _


class SalePointKind(models.TextChoices):
    OCOP_POINT = "ocop_point", _("OCOP display and sale point")
    SUPERMARKET = "supermarket", _("Supermarket")
    SHOP = "shop", _("Shop or convenience store")
    TOURISM_SITE = "tourism_site", _("Tourist site or tour stop")


class SalePointStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by a producer")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


# Allowed moves of a sale point's status (the office decides on suggestions, closes and reopens).
SALE_POINT_TRANSITIONS = {
    SalePointStatus.SUGGESTED: {SalePointStatus.ACTIVE, SalePointStatus.REJECTED},
    SalePointStatus.ACTIVE: {SalePointStatus.CLOSED},
    SalePointStatus.CLOSED: {SalePointStatus.ACTIVE},
    SalePointStatus.REJECTED: set(),
}

# What QĐ 950/QĐ-BCT asks of an OCOP display and sale point (the identity set of the Ministry of
# Industry and Trade). Recorded as a checklist; the wording follows provincial guidance [unverified].
QD950_CRITERIA = {
    "identity_signage": _("Sign and identity set as specified (logo, colours, name board)"),
    "location": _("Convenient location (traffic, tourist flow, commercial area)"),
    "floor_area": _("Enough floor area for display, sale and storage"),
    "ocop_share": _("OCOP and local specialities make up most of the goods on display"),
    "origin_traceable": _("Every product has clear origin, labels and traceability"),
    "price_listed": _("Prices listed and kept to"),
    "staff_trained": _("Staff trained to present OCOP products"),
    "food_safety": _("Food-safety conditions met for the goods sold"),
}


class Platform(models.TextChoices):
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    PROVINCE_TRADE = "province_trade", _("Provincial trade site")
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    TIKI = "tiki", "Tiki"
    OWN_SITE = "own_site", _("Producer's own website")
    OTHER = "other", _("Other online shop")


# Host names each platform's product pages live on (a listing URL must be on one of them).
PLATFORM_HOSTS = {
    Platform.POSTMART: ("postmart.vn",),
    Platform.VOSO: ("voso.vn",),
    Platform.PROVINCE_TRADE: ("gov.vn", "bentretrade.vn", "ketnoiocop.vn", "sanphamvungmien.vn", "ocop.vn"),
    Platform.SHOPEE: ("shopee.vn",),
    Platform.LAZADA: ("lazada.vn",),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.TIKI: ("tiki.vn",),
}


class ListingCheck(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Working")
    BROKEN = "broken", _("Broken or removed")


class FairKind(models.TextChoices):
    FAIR = "fair", _("Trade fair")
    PROMOTION = "promotion", _("Trade promotion week")
    EXHIBITION = "exhibition", _("Exhibition")
    CONNECTION = "connection", _("Supply–demand connection conference")
