"""`manage.py backup [--output FILE]`: the database and the media files in one verified archive."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop.core.backup import BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one tar archive with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive path (default: $BACKUP_DIR/ocop-<time>.tar)")
        parser.add_argument("--database", default="default")
        parser.add_argument("--no-media", action="store_true", help="database only")

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            folder = Path(os.environ.get("BACKUP_DIR", settings.BASE_DIR / "backups"))
            output = folder / f"ocop-{timezone.now():%Y%m%d-%H%M%S}.tar"
        served = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()]
        if any(Path(output).resolve().is_relative_to(root) for root in served):
            # A backup holds every private file and the whole database: never where the web server serves.
            raise CommandError(
                f"Refusing to write a backup under {', '.join(map(str, served))}: choose a private folder."
            )
        try:
            manifest = create_backup(
                output, database=options["database"], include_media=not options["no_media"]
            )
            verify_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = sum(1 for name in manifest["files"] if name.startswith(("media/", "private/")))
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {output}: {manifest['engine']}, {len(manifest['tables'])} tables, "
            f"{rows} rows, {media} media files; checksums verified."
        )
