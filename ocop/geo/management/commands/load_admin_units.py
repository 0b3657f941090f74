from django.core.management.base import BaseCommand

from ocop.geo.loader import load_admin_units
from ocop.geo.models import MapDataset


class Command(BaseCommand):
    help = "Load or refresh the legacy (63 provinces) and current (34 provinces) administrative maps."

    def handle(self, *args, **options):
        result = load_admin_units()
        dataset = MapDataset.objects.get(pk=1)
        counts = dataset.counts
        self.stdout.write(
            f"{dataset}: legacy {counts['legacy_province']} provinces, {counts['legacy_district']} districts, "
            f"{counts['legacy_commune']} communes; current {counts['current_province']} provinces, "
            f"{counts['current_commune']} communes. Created {result['created']}, updated {result['updated']}, "
            f"{result['successions']} new succession links."
        )
