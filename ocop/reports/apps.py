from django.apps import AppConfig

# Imports inside functions: ready() runs once every app's models are loaded; importing them earlier fails.
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ocop.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import statscache

        statscache.connect()
