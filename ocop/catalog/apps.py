from django.apps import AppConfig

# Imports inside functions: ready() runs once every app's models are loaded; importing them earlier fails.


class CatalogConfig(AppConfig):
    name = "ocop.catalog"
    label = "catalog"

    def ready(self):
        from ocop.core.publication import register_publisher

        from . import readmodel

        register_publisher(readmodel.publisher)
