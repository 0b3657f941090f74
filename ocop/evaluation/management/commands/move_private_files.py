"""`manage.py move_private_files`: move evidence files still under MEDIA_ROOT into the private storage."""

from django.core.management.base import BaseCommand

from ocop.core.activity import log_activity
from ocop.core.permissions import SYSTEM
from ocop.evaluation.models import Evidence
from ocop.evaluation.privatefiles import move_evidence_to_private


class Command(BaseCommand):
    help = (
        "Move dossier evidence still stored under MEDIA_ROOT (public) into PRIVATE_MEDIA_ROOT under random "
        "names. Migration 0002 does it once on upgrade; run this after restoring an older backup."
    )

    def handle(self, *args, **options):
        moved = move_evidence_to_private(Evidence)
        if moved:
            log_activity(None, "evaluation.evidence.moved_private", actor=SYSTEM, data={"files": moved})
        self.stdout.write(f"{moved} evidence files moved to the private storage.")
