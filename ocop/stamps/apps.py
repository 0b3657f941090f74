from django.apps import AppConfig

# Imports inside functions: ready() runs once every app's models are loaded; importing them earlier fails.


class StampsConfig(AppConfig):
    name = "ocop.stamps"
    label = "stamps"

    def ready(self):
        from ocop.core.publication import register_publisher, register_source

        from . import shared
        from .models import StampBatch

        # A batch's verify pages show its state: every saved batch is published (no product).
        register_source(StampBatch, lambda batch: ())
        register_publisher(shared.publisher)
