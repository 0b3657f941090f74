from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ocop.catalog"
    label = "catalog"

    def ready(self):
        from ocop.core.publication import register_publisher

        from . import readmodel

        register_publisher(readmodel.publisher)
