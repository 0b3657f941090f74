from django.apps import AppConfig


class StampsConfig(AppConfig):
    name = "ocop.stamps"
    label = "stamps"

    def ready(self):
        from ocop.core.publication import register_publisher

        from . import shared

        shared.connect()
        register_publisher(shared.publisher)
