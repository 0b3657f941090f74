"""manage.py import_ocop_products FILE.xlsx [--dry-run] — all or nothing (docs/import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.certificates.importer import ImportFileError, import_products


def summary_text(result):
    """One sentence with the counts (no number ever follows the word for "row" in Vietnamese)."""
    values = {
        "rows": len(result.rows),
        "producers": result.created["producers"],
        "products": result.created["products"],
        "certificates": result.created["certificates"],
        "old_producers": result.existing["producers"],
        "old_products": result.existing["products"],
        "old_certificates": result.existing["certificates"],
    }
    counts = (
        _(
            "%(producers)s new producers, %(products)s new products, %(certificates)s new certificates; "
            "already on the platform: %(old_producers)s producers, %(old_products)s products, "
            "%(old_certificates)s certificates."
        )
        % values
    )
    if result.dry_run:
        return _("Dry run of %(rows)s rows, nothing written: it would create %(counts)s") % {
            "rows": values["rows"],
            "counts": counts,
        }
    return _("Imported %(rows)s rows: %(counts)s") % {"rows": values["rows"], "counts": counts}


class Command(BaseCommand):
    help = "Import a province's list of certified OCOP products from an Excel file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file (first sheet, header in row 1)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(self, *args, **options):
        with translation.override("vi"):
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("File not found: %(path)s") % {"path": path})
            try:
                with path.open("rb") as source:
                    result = import_products(source, dry_run=options["dry_run"], file_name=path.name)
            except ImportFileError as exc:
                raise CommandError(exc.message) from exc
            if not result.ok:
                for line in result.error_lines():
                    self.stdout.write(line)
                count = len(result.bad_rows)
                raise CommandError(
                    ngettext(
                        "Nothing was imported: %(count)s row has an error.",
                        "Nothing was imported: %(count)s rows have errors.",
                        count,
                    )
                    % {"count": count}
                )
            self.stdout.write(summary_text(result))
