"""Scoped reads for stamp pages and the counterfeit dashboard."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.registry.queries import products_for

from .enums import SignalStatus
from .models import CounterfeitSignal, Scan, StampBatch


def batches_for(user):
    return StampBatch.objects.filter(product__in=products_for(user).values("pk"))


def orderable_products(user, day=None):
    day = day or today()
    valid = Certificate.objects.valid_on(day).values("product_id")
    return products_for(user).filter(pk__in=valid).order_by("name")


def signals_for(user):
    return CounterfeitSignal.objects.filter(batch__in=batches_for(user).values("pk"))


def dashboard(user, days=30):
    """Open signals, counts by kind, scans per day (all and from flagged serials) over `days`."""
    since = timezone.now() - datetime.timedelta(days=days)
    signals = signals_for(user)
    batch_ids = batches_for(user).values("pk")
    open_signals = signals.filter(status=SignalStatus.OPEN).select_related(
        "batch", "batch__product", "batch__product__producer"
    )
    by_kind = dict(signals.filter(status=SignalStatus.OPEN).values_list("kind").annotate(n=Count("id")))
    flagged = signals.values("serial")
    scans = Scan.objects.filter(batch_id__in=batch_ids, scanned_at__gte=since)
    per_day = dict(
        scans.annotate(day=TruncDate("scanned_at")).values_list("day").annotate(n=Count("id")).order_by()
    )
    flagged_per_day = dict(
        scans.filter(serial__in=flagged)
        .annotate(day=TruncDate("scanned_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    start = timezone.localdate() - datetime.timedelta(days=days - 1)
    trend = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        trend.append({"day": day, "scans": per_day.get(day, 0), "flagged": flagged_per_day.get(day, 0)})
    top = max((t["scans"] for t in trend), default=0) or 1
    for t in trend:
        t["width"] = round(100 * t["scans"] / top)
    places = {}
    for signal in open_signals[:200]:
        for place in signal.places or []:
            label = place.get("region") or f"{place.get('lat')}, {place.get('lon')}"
            places[label] = places.get(label, 0) + 1
    return {
        "open_signals": open_signals[:100],
        "by_kind": by_kind,
        "trend": trend,
        "places": sorted(places.items(), key=lambda kv: -kv[1])[:20],
        "scans_total": sum(t["scans"] for t in trend),
    }
