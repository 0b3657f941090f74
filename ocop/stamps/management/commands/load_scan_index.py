"""Load the scan log into the shared scan index (Redis), so that a first scan of any serial needs no
query. Idempotent; batches are otherwise loaded lazily on their first scan. Run after restoring a
backup or emptying Redis."""

import time

from django.core.management.base import BaseCommand, CommandError

from ocop.stamps import scans, shared
from ocop.stamps.models import StampBatch


class Command(BaseCommand):
    help = "Load every batch's scanned serials into the shared scan index (Redis)."

    def handle(self, *args, **options):
        redis = shared.client()
        if redis is None:
            raise CommandError("No shared cache: set REDIS_URL (without it, counts come from the database).")
        started = time.perf_counter()
        ids = list(StampBatch.objects.order_by("pk").values_list("pk", flat=True))
        for batch_id in ids:
            shared.load_batch(redis, batch_id, scans.scanned_serials(batch_id))
        self.stdout.write(f"{len(ids)} batches loaded in {time.perf_counter() - started:.1f} s")
