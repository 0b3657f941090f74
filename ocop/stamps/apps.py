from django.apps import AppConfig


class StampsConfig(AppConfig):
    name = "ocop.stamps"
    label = "stamps"

    def ready(self):
        from . import shared

        shared.connect()
