"""Work done once in the gunicorn master before it forks its workers (deploy/gunicorn.conf.py,
`preload_app`), so that no worker pays it on its first request and the workers share its memory:
URL patterns, the hot pages' templates, both languages' catalogues, the communes' facts of both
maps (reports), and today's figures for the whole country in the shared cache (`statscache`).

Nothing here is needed for correctness: a failure is logged and the server starts all the same.
The master's database connections are closed afterwards, so no worker inherits one. It warms the whole
project (every app, through the WSGI application), so it sits beside wsgi.py, above the apps."""

import io
import logging
import sys
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from ocop.core import release
from ocop.core.dates import today
from ocop.geo.enums import MapVersion
from ocop.reports import kpis, statscache
from ocop.reports.scope import Scope

log = logging.getLogger(__name__)

TEMPLATES = (
    "base.html",
    "catalog/catalogue.html",
    "catalog/_card.html",
    "catalog/product.html",
    "catalog/home.html",
)


def before_fork():
    started = time.perf_counter()
    try:
        warm()
    except Exception:
        log.exception("warm-up before fork failed (the workers will do it on demand)")
    finally:
        connections.close_all()
    log.info("warm-up before fork: %.0f ms", (time.perf_counter() - started) * 1000)


def in_worker():
    """In a freshly forked worker, before its first request: open its database connection (kept for
    CONN_MAX_AGE) and its cache connection, so the first visitor does not wait for them."""
    try:
        connection.ensure_connection()
        cache.get("ocop:warmup")
    except Exception:
        log.exception("worker warm-up failed (connections will be opened on demand)")


def warm():
    get_resolver().url_patterns  # noqa: B018 -- imports every view module
    release.fingerprint()  # reads the templates, translations and static manifest once
    for name in TEMPLATES:
        get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("OCOP product catalogue")
    warm_stats()
    for path in REQUESTS:
        request(path)


# Answered once in the master, so that whatever the request path sets up on first use (the API's
# schemas, lazily imported modules, compiled templates) is there in every worker from the start.
REQUESTS = ("/api/v1/stats", "/products/")


def request(path):
    """GET `path` through the WSGI application, in this process; returns the status line."""

    from ocop.wsgi import application  # building the application waits until the warm-up runs

    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")), "localhost"
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if settings.SECURE_SSL_REDIRECT else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0] if status else None


def warm_stats():
    for map_ in MapVersion.values:
        kpis.commune_facts(map_)
    with translation.override(settings.LANGUAGE_CODE):  # the API's answer without Accept-Language
        statscache.figures(Scope(today()))
