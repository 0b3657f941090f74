"""The release fingerprint: what a cached public page's HTML and replayed headers depend on besides
the data.

Cached public pages (the verify page of a batch, the product page, product cards) are stored with
the headers Django's middlewares gave them and replayed by the fast path in front of Django
(ocop/core/fastpath.py). Every key of such a page carries `fingerprint()`, a digest of:
- the settings that shape the headers (CSP, HSTS, frame, referrer and cross-origin policies, the
  middleware list itself) and the pages (languages, static URL);
- the templates (every `.html` file of the project's and apps' template directories), the compiled
  translations (`.mo`) and the static files' manifest (hashed file names are written in the HTML);
- the release name (`OCOP_RELEASE`, e.g. the deployed commit) and Django's version.

So a deploy that changes any of them reads and writes new keys: no worker ever replays headers or
HTML of the previous release (the old entries expire on their own). The files are read once per
process (the gunicorn master computes it before forking, `ocop.core.warmup`); with DEBUG on, where
templates are edited in place, their modification times are checked on every call instead."""

import functools
import hashlib
import os
from pathlib import Path

from django import get_version
from django.conf import settings
from django.core.signals import setting_changed

# Settings a replayed header or a cached page's HTML depends on.
SETTINGS = (
    "MIDDLEWARE",
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "LANGUAGE_CODE",
    "LANGUAGES",
    "STATIC_URL",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_NAME",
    "LANGUAGE_COOKIE_NAME",
)


def _template_dirs():
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())]
    root = Path(settings.BASE_DIR) / "ocop"
    dirs += sorted(root.glob("*/templates"))
    return dirs


def _files():
    """The files a page's HTML is made from, in a stable order."""
    found = []
    for directory in _template_dirs():
        found += sorted(directory.rglob("*.html"))
    for directory in settings.LOCALE_PATHS:
        found += sorted(Path(directory).rglob("*.mo"))
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json" if settings.STATIC_ROOT else None
    if manifest is not None and manifest.is_file():
        found.append(manifest)
    return found


@functools.cache
def _files_digest():
    digest = hashlib.blake2b(digest_size=8)
    for path in _files():
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_stamp():
    """With DEBUG: the files' names, sizes and modification times (edited in place)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in _files():
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


@functools.cache
def _settings_digest():
    values = [(name, getattr(settings, name, None)) for name in SETTINGS]
    values.append(("release", os.environ.get("OCOP_RELEASE", "")))
    values.append(("django", get_version()))
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


def fingerprint():
    """A short digest (16 hex characters) of the release: settings, templates, translations, static
    manifest (see the module's docstring)."""
    files = _files_stamp() if settings.DEBUG else _files_digest()
    return hashlib.blake2b(f"{_settings_digest()}:{files}".encode(), digest_size=8).hexdigest()


def _changed(setting, **kwargs):
    if setting in SETTINGS or setting in ("TEMPLATES", "LOCALE_PATHS", "STATIC_ROOT", "DEBUG"):
        _settings_digest.cache_clear()
        _files_digest.cache_clear()


setting_changed.connect(_changed, dispatch_uid="ocop.core.release")
