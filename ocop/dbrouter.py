"""Read replica routing: public, anonymous reads go to the "replica" database when one is configured.

`DATABASE_REPLICA_URL` adds a "replica" alias (a PostgreSQL streaming replica). The middleware marks a
request as a public read (GET or HEAD, no session cookie, not under /office/, /accounts/ or /admin/);
during such a request the router sends reads to the replica. Everything else, and every write, goes to
the primary, so an officer always reads what they just wrote. Without a replica the router does
nothing. The replica is never migrated (it mirrors the primary)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.utils.connection import ConnectionDoesNotExist

REPLICA = "replica"
PRIVATE_PREFIXES = ("/office/", "/accounts/", "/admin/")
_public_read = ContextVar("ocop_public_read", default=False)


def replica_configured():
    try:
        connections[REPLICA]  # from settings.DATABASES (or added at run time, as the tests do)
    except ConnectionDoesNotExist:
        return False
    return True


@contextmanager
def public_reads():
    """Route the reads in this block to the replica (when configured)."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


def is_public_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        with public_reads():
            return self.get_response(request)
