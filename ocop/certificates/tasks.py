from django.tasks import task

from ocop.core.dates import parse_date

from .domain import send_expiry_notices


@task
def send_expiry_notices_task(day=None):
    """Daily (cron or systemd timer: `manage.py send_expiry_notices`); safe to run more than once."""

    return send_expiry_notices(parse_date(day) if day else None)
