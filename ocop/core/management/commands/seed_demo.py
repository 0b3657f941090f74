from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ocop.core.demo import DEMO_PASSWORD, Demo, run_steps
from ocop.geo.models import AdminUnit


class Command(BaseCommand):
    help = "Build the demo province (Bến Tre, July 2022, legacy map) and its accounts. Idempotent."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Load the administrative units first: manage.py load_admin_units")
        with transaction.atomic():
            demo = run_steps(Demo())
        for line in demo.lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for role, user in demo.users.items():
            self.stdout.write(f"  {role:<22} {user.username}")
