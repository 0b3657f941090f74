"""The scan log and the counterfeit signals it raises.

Each opening of a stamp's verify page appends one row (time, serial, verdict, coarse place, device
class). The count and first time shown to the buyer come from the shared counters (`shared`: Redis)
or, without them, from the index (serial, scanned_at). In production the row goes through the
per-process buffer (`scanbuffer`) and reaches the table within VERIFY_FLUSH_MS.

Scan inflation: scans of one serial by the same client (its address) within VERIFY_REPEAT_SECONDS count
once. The later ones are logged with `counted` false and change neither the count on the page nor the
"scanned many times" signal, so a shop assistant reloading the page, or a prankster sending 22 requests
in a second, cannot brand a genuine stamp as copied. With Redis the check is a key set in the verify
script's single round trip (`shared.hot`); without it, a key in Django's cache (per process with the
default local-memory cache)."""

import datetime
import logging
import math
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from . import conf, ratelimit, scanbuffer, shared
from .enums import Device, SignalKind, Verdict
from .models import CounterfeitSignal, Scan

log = logging.getLogger(__name__)
_BOT = re.compile(r"bot|crawl|spider|curl|wget|python|httpclient|java/|go-http|wrk", re.I)
_MOBILE = re.compile(r"mobile|android|iphone|ipad|zalo", re.I)


def device_of(user_agent):
    if not user_agent:
        return Device.OTHER
    if _BOT.search(user_agent):
        return Device.BOT
    if _MOBILE.search(user_agent):
        return Device.MOBILE
    return Device.DESKTOP


def _float(value):
    try:
        number = round(float(value), 1)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def place_of(request):
    """Coarse place from headers set by the reverse proxy (SCAN_GEO_HEADERS), never from the address."""
    headers = conf.get("SCAN_GEO_HEADERS") or {}
    meta = request.META
    region = meta.get(headers.get("region", ""), "")[:64] if headers.get("region") else ""
    lat = _float(meta.get(headers.get("latitude", ""))) if headers.get("latitude") else None
    lon = _float(meta.get(headers.get("longitude", ""))) if headers.get("longitude") else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return region, lat, lon


def scan_stats(serial):
    """(earlier counted scans, first scan time) of `serial`: one query on the (serial, scanned_at) index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MIN(scanned_at) FROM {Scan._meta.db_table} WHERE serial = %s AND counted",  # noqa: S608
            [serial],
        )
        count, first = cursor.fetchone()
    if isinstance(first, str):  # SQLite answers text for raw queries
        first = Scan._meta.get_field("scanned_at").to_python(first)
    if first is not None and timezone.is_naive(first):
        first = timezone.make_aware(first, datetime.UTC)
    return count, first


def buffering():
    """Whether scans go through the per-process buffer (VERIFY_SCAN_BUFFER: "auto" means production
    on PostgreSQL; the embedded SQLite default inserts synchronously)."""
    setting = conf.get("VERIFY_SCAN_BUFFER")
    if setting == "auto":
        return bool(getattr(settings, "PRODUCTION", False)) and connection.vendor == "postgresql"
    return setting in (True, "1", "true", "yes", "on")


def scanned_serials(batch_id):
    """The distinct serials of a batch in the scan log (to load the shared scan index)."""
    return Scan.objects.filter(batch_id=batch_id).values_list("serial", flat=True).distinct().iterator()


def is_repeat(serial, request, hot):
    """Whether this client scanned `serial` within VERIFY_REPEAT_SECONDS (then the scan is not counted)."""
    if hot is not None:  # decided in the shared round trip
        return hot.repeat
    window = conf.get("VERIFY_REPEAT_SECONDS")
    if window <= 0:
        return False
    return not cache.add(f"{shared.PREFIX}again:{serial}:{ratelimit.client_key(request)}", 1, window)


def _counted(serial, batch_id, when, hot, repeat=False):
    """(count including this scan unless it is a repeat, first scan time) from the shared counters when
    they know the serial, else from the database (plus this process's rows not flushed yet)."""
    if hot is not None and hot.count >= 0:
        return hot.count, datetime.datetime.fromtimestamp(hot.first, datetime.UTC)
    count, first = scan_stats(serial)
    count += scanbuffer.get().pending_for(serial) if buffering() else 0
    count = max(count, 1) if repeat else count + 1
    first = first or when
    redis = shared.client()
    if redis is None:
        return count, first
    n, first_at = shared.init_count(redis, serial, count, first.timestamp(), counted=not repeat)
    if hot is None or not hot.loaded:
        if buffering():
            scanbuffer.get().load_later(batch_id)
        else:
            shared.load_batch(redis, batch_id, scanned_serials(batch_id))
    return n, datetime.datetime.fromtimestamp(first_at, datetime.UTC)


def record_scan(serial, *, batch_id, verdict, request, when=None, hot=None):
    """Append the scan; return (count including this one, first scan time). Raises signals when the
    serial looks copied. `hot` is what the request already learnt from the shared cache (`shared.hot`).

    Buffered (production on PostgreSQL): no SQL in the common case; the row and the signals are
    written by the flusher within VERIFY_FLUSH_MS. Otherwise the row is inserted at once."""
    when = when or timezone.now()
    region, lat, lon = place_of(request)
    repeat = is_repeat(serial, request, hot)
    count, first = _counted(serial, batch_id, when, hot, repeat)
    row = scanbuffer.ScanRow(
        serial,
        batch_id,
        when,
        str(verdict),
        region,
        lat,
        lon,
        str(device_of(request.META.get("HTTP_USER_AGENT", ""))),
        not repeat,
    )
    if buffering():
        many = count > conf.get("STAMP_SCAN_LIMIT") and not repeat
        needs_signals = verdict == Verdict.UNKNOWN or many or lat is not None
        scanbuffer.get().append(row, followup=(count, first) if needs_signals else None)
    else:
        Scan(**row._asdict()).save(force_insert=True)
        raise_signals(row, count, first)
    return count, first


def raise_signals(row, count, first):
    """The counterfeit signals a recorded scan calls for (inline, or by the flusher after its insert)."""
    serial, batch_id, when = row.serial, row.batch_id, row.scanned_at
    lat, lon = row.latitude, row.longitude
    place = (
        {"region": row.region, "lat": lat, "lon": lon, "at": when.isoformat()}
        if (row.region or lat is not None)
        else None
    )
    if row.verdict == Verdict.UNKNOWN:
        _signal(serial, batch_id, SignalKind.UNAPPROVED, count, first, when, place)
    elif count > conf.get("STAMP_SCAN_LIMIT") and row.counted:
        _signal(serial, batch_id, SignalKind.REPEATED, count, first, when, place)
    if lat is not None and _far_from_recent(serial, lat, lon, when):
        _signal(serial, batch_id, SignalKind.FAR_APART, count, first, when, place)


def _far_from_recent(serial, lat, lon, when):
    since = when - timedelta(hours=conf.get("STAMP_FAR_HOURS"))
    recent = (
        Scan.objects.filter(serial=serial, scanned_at__gte=since, scanned_at__lt=when, latitude__isnull=False)
        .order_by("-scanned_at")
        .values_list("latitude", "longitude")[:20]
    )
    return any(distance_km(lat, lon, a, b) > conf.get("STAMP_FAR_KM") for a, b in recent)


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def _signal(serial, batch_id, kind, count, first, when, place):
    """Create the (serial, kind) signal once, then keep its counters current."""
    updated = CounterfeitSignal.objects.filter(serial=serial, kind=kind).update(
        scans=count, last_scan_at=when, updated_at=timezone.now()
    )
    if updated:
        if place:
            _add_place(serial, kind, place)
        return
    try:
        with transaction.atomic():
            CounterfeitSignal.objects.create(
                serial=serial,
                batch_id=batch_id,
                kind=kind,
                scans=count,
                first_scan_at=first,
                last_scan_at=when,
                places=[place] if place else [],
            )
    except IntegrityError:  # another worker created it first
        CounterfeitSignal.objects.filter(serial=serial, kind=kind).update(scans=count, last_scan_at=when)


def _add_place(serial, kind, place):
    signal = CounterfeitSignal.objects.filter(serial=serial, kind=kind).only("places").first()
    if signal and len(signal.places) < 50:
        signal.places = [*signal.places, place]
        signal.save(update_fields=["places"])


@scanbuffer.after_insert
def after_flush(followups, to_load):
    """After the buffer wrote its rows: the counterfeit signals the new rows call for, and the batches
    to load into the shared scan index."""
    for row, count, first in followups:
        try:
            raise_signals(row, count, first)
        except DatabaseError:
            log.exception("counterfeit signal not recorded for %s", row.serial)
    redis = shared.client() if to_load else None
    for batch_id in to_load:
        try:
            shared.load_batch(redis, batch_id, scanned_serials(batch_id))
        except Exception:
            log.exception("scan index of batch %s not loaded", batch_id)
