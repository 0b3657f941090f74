"""Stamp and verify settings: a Django setting of the same name wins, else the environment, else the
default. Documented in docs/certificates.md."""

import os

from django.conf import settings
from django.core.signals import setting_changed


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DEFAULTS = {
    # A serial scanned more often than this raises a "scanned many times" signal.
    "STAMP_SCAN_LIMIT": _int("STAMP_SCAN_LIMIT", 20),
    # Two scans farther apart than STAMP_FAR_KM within STAMP_FAR_HOURS raise a "far apart" signal.
    "STAMP_FAR_KM": _int("STAMP_FAR_KM", 100),
    "STAMP_FAR_HOURS": _int("STAMP_FAR_HOURS", 24),
    # Request headers (as in request.META) the reverse proxy fills with a coarse place.
    "SCAN_GEO_HEADERS": {
        key: os.environ[env]
        for key, env in (
            ("region", "SCAN_REGION_HEADER"),
            ("latitude", "SCAN_LAT_HEADER"),
            ("longitude", "SCAN_LON_HEADER"),
        )
        if os.environ.get(env)
    },
    # Scans of one serial by the same client (address) within this many seconds count once: logged
    # (Scan.counted false), but neither shown in the count nor counted towards STAMP_SCAN_LIMIT. 0: off.
    "VERIFY_REPEAT_SECONDS": _int("VERIFY_REPEAT_SECONDS", 600),
    # Verify: requests per minute per client and burst (0 turns the limit off).
    "VERIFY_RATE_PER_MINUTE": _int("VERIFY_RATE_PER_MINUTE", 60),
    "VERIFY_BURST": _int("VERIFY_BURST", 30),
    # How long a batch's facts stay cached (changes made on this server drop them at once).
    "VERIFY_CACHE_SECONDS": _int("VERIFY_CACHE_SECONDS", 30),
    # How long a rendered verdict page stays in the shared cache (a change bumps its version at once).
    "VERIFY_PAGE_SECONDS": _int("VERIFY_PAGE_SECONDS", 3600),
    # A serial's shared scan count is forgotten after this long without scans (then re-read once).
    "VERIFY_COUNT_SECONDS": _int("VERIFY_COUNT_SECONDS", 30 * 86400),
    # Scan rows through a per-process buffer: "auto" (production on PostgreSQL), "true" or "false".
    "VERIFY_SCAN_BUFFER": os.environ.get("VERIFY_SCAN_BUFFER", "auto").lower(),
    # The buffer is written every VERIFY_FLUSH_MS milliseconds or VERIFY_FLUSH_ROWS rows.
    "VERIFY_FLUSH_MS": _int("VERIFY_FLUSH_MS", 200),
    "VERIFY_FLUSH_ROWS": _int("VERIFY_FLUSH_ROWS", 500),
    # Trust X-Forwarded-For for the client address (only behind a proxy that sets it).
    "BEHIND_PROXY_FOR": os.environ.get("BEHIND_PROXY", "").lower() in ("1", "true", "yes"),
}


_values = {}


def get(name):
    """The setting's value (looked up once: the verify hot path reads several per request)."""
    try:
        return _values[name]
    except KeyError:
        value = _values[name] = getattr(settings, name, DEFAULTS[name])
        return value


def _forget(**kwargs):
    _values.clear()


setting_changed.connect(_forget, dispatch_uid="ocop.stamps.conf")
