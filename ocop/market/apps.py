from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "ocop.market"
    label = "market"
