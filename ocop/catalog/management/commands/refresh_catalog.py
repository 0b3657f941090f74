from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ocop.catalog.readmodel import drift, rebuild_catalog, vacuum


class Command(BaseCommand):
    help = "Rebuild the public catalogue's read model from products, certificates and market data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report products whose rows are out of date."
        )

    def handle(self, *args, **options):
        if options["check"]:
            stale = drift()
            if stale:
                raise CommandError(
                    _("%(n)s products have out-of-date catalogue rows, e.g. %(ids)s.")
                    % {"n": len(stale), "ids": ", ".join(map(str, stale[:10]))}
                )
            self.stdout.write(_("The catalogue is up to date."))
            return
        rows = rebuild_catalog()
        vacuum()
        self.stdout.write(_("Catalogue rebuilt: %(n)s rows.") % {"n": rows})
