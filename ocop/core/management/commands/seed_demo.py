from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ocop.core.demo import DEMO_PASSWORD, Demo, run_steps
from ocop.geo.models import AdminUnit


def _roles(user):
    """'Provincial OCOP officer, Tỉnh Bến Tre' – what the login is for, in one short line."""
    user.__dict__.pop("assignments", None)
    parts = []
    for a in user.assignments:
        scope = a.unit.name if a.unit_id else (a.producer.name if a.producer_id else "")
        parts.append(f"{a.get_role_display()}{', ' + scope if scope else ''}")
    if user.is_superuser and not parts:
        parts.append("superuser")
    return "; ".join(parts)


class Command(BaseCommand):
    help = "Build the demo province (Bến Tre, July 2022, legacy map) and its accounts. Idempotent."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Load the administrative units first: manage.py load_admin_units")
        with transaction.atomic():
            demo = run_steps(Demo())
        if options["verbosity"] > 1:
            for line in demo.lines:
                self.stdout.write(line)
        else:
            self.stdout.write(f"Demo data ready ({len(demo.lines)} steps; -v 2 lists them).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins at {settings.SITE_URL}/accounts/login/ (password for all: {DEMO_PASSWORD}):"
            )
        )
        for user in demo.users.values():
            self.stdout.write(f"  {user.username:<24} {_roles(user)}")
