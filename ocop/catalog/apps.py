from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ocop.catalog"
    label = "catalog"

    def ready(self):
        from . import readmodel

        readmodel.connect()
