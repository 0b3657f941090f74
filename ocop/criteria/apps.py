from django.apps import AppConfig

# Imports inside functions: ready() runs once every app's models are loaded; importing them earlier fails.
from django.db.models.signals import post_migrate


def _load_shipped_sets(sender, using="default", **kwargs):
    from django.db import connections

    from .loader import load_criteria_sets

    if "criteria_criteriaset" in connections[using].introspection.table_names():
        load_criteria_sets()


class CriteriaConfig(AppConfig):
    name = "ocop.criteria"
    label = "criteria"

    def ready(self):
        # The shipped sets are part of the schema's data: load them after every migrate (and after the
        # flush of transactional tests, which emits post_migrate too).
        post_migrate.connect(_load_shipped_sets, sender=self, dispatch_uid="criteria_load_sets")
