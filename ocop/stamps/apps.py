from django.apps import AppConfig


class StampsConfig(AppConfig):
    name = "ocop.stamps"
    label = "stamps"
