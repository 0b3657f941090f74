from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "ocop.backoffice"
    label = "backoffice"
