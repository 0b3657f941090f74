"""Calendar dates in Asia/Ho_Chi_Minh and month arithmetic."""

import calendar
import datetime

from django.utils import timezone


def today():
    return timezone.localdate()


def add_months(day, months):
    """Same day of month `months` later; the last day of the month where that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(value):
    """Parse YYYY-MM-DD or dd/mm/yyyy; raise ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
