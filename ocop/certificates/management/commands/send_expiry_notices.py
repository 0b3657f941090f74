from django.core.management.base import BaseCommand, CommandError

from ocop.certificates.domain import send_expiry_notices
from ocop.core.dates import parse_date


class Command(BaseCommand):
    help = "Send the 90/60/30-day expiry notices that are due (idempotent; run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as of this date (YYYY-MM-DD), default today")

    def handle(self, *args, **options):
        try:
            day = parse_date(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"Bad date: {exc}") from exc
        sent = send_expiry_notices(day)
        self.stdout.write(f"{sent} notice(s) sent.")
