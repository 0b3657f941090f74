"""`manage.py restore FILE [--database-url URL] [--media-root DIR] [--force] [--verify-only]`."""

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ocop.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (the configured one, or "
        "--database-url) and the media folder. Every checksum is verified first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="target database (default: the configured database)")
        parser.add_argument("--media-root", help="target media folder (default: MEDIA_ROOT)")
        parser.add_argument(
            "--private-root", help="target folder of private files (default: PRIVATE_MEDIA_ROOT)"
        )
        parser.add_argument("--force", action="store_true", help="replace a database that is not empty")
        parser.add_argument("--no-media", action="store_true")
        parser.add_argument("--verify-only", action="store_true", help="check the archive, change nothing")

    def handle(self, *args, **options):
        try:
            if options["verify_only"]:
                manifest = verify_backup(options["archive"])
                self.stdout.write(
                    f"{options['archive']}: {len(manifest['files'])} files verified "
                    f"({manifest['engine']}, made {manifest['created_at']})."
                )
                return
            if options["database_url"]:
                target = dj_database_url.parse(options["database_url"])
            else:
                connections["default"].close()
                target = connections["default"].settings_dict
            result = restore_backup(
                options["archive"],
                target,
                media_root=options["media_root"],
                private_root=options["private_root"],
                force=options["force"],
                include_media=not options["no_media"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result['tables']} tables ({result['rows']} rows, counts match the manifest) "
            f"and {result['media_files']} media files."
        )
