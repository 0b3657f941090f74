"""The programme's figures (`kpis.compute`, behind GET /api/v1/stats) kept in the shared cache.

The figures for the whole country read every certified product (16,000 at national scale: 150–500 ms
on the 2-core machine); they change only when the data behind them change. With a shared cache
(Redis, REDIS_URL) they are stored under a generation token, and every committed save or delete of
a model the figures read (certificates, registry, market, programme, map, role assignments: any
model of those apps, and of the accounts app the role assignments only: a login saves the user's
`last_login` and must not throw the figures away) replaces the token (`bump`: now and again once the transaction commits), as does
every refresh of the catalogue's read model (the importer's bulk writes, which send no model signals, refresh it). So every
worker, including one just started, answers from the same entry, and no answer outlives a change made
through the models; writes that bypass them (raw SQL, `QuerySet.update`) are seen after at most
STATS_SECONDS. The gunicorn master computes today's country figures before it forks its workers
(`ocop.warmup`).

With a process-local cache (LocMemCache: tests, runserver, a single SQLite server) another process's
change could not be seen, so nothing is cached there: each call computes."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from ocop.core.cache import shared as cache_is_shared

from . import kpis

STATS_SECONDS = 600
GENERATION_KEY = "reports:stats:generation"
# Apps whose models the figures read (kpis): a save or delete of any of their models bumps.
SOURCE_APPS = frozenset({"certificates", "registry", "market", "programme", "geo"})
# Single models of other apps the figures read: of accounts only the role assignments (the officials
# counted by role, `kpis.officials_count`). A user's own row is not read: every login saves
# `last_login`, which must not throw the figures away.
SOURCE_MODELS = frozenset({"accounts.roleassignment"})


def shared():
    return cache_is_shared()


def _key(scope, generation):
    unit = scope.unit.pk if scope.unit is not None else "country"
    return f"reports:stats:{generation}:{scope.as_of.isoformat()}:{unit}:{get_language()}"


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def figures(scope):
    """`kpis.compute(scope)`, from the shared cache when the data have not changed since."""

    if not shared():
        return kpis.compute(scope)
    key = _key(scope, _generation())
    found = cache.get(key)
    if found is None:
        found = kpis.compute(scope)
        cache.set(key, found, STATS_SECONDS)
    return found


def bump():
    """Forget every cached figure: now, and again once the current transaction commits (a request in
    between could have cached figures read before the commit). Once per transaction, however many
    rows it saves."""
    if not shared():
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(func is _new_generation for _sids, func, _robust in connection.run_on_commit):
            return
        _new_generation()
        transaction.on_commit(_new_generation)
    else:
        _new_generation()


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _changed(sender, **kwargs):
    if sender._meta.app_label in SOURCE_APPS or sender._meta.label_lower in SOURCE_MODELS:
        bump()


def connect():
    uid = "reports-statscache"
    post_save.connect(_changed, dispatch_uid=uid)
    post_delete.connect(_changed, dispatch_uid=uid)
    m2m_changed.connect(_changed, dispatch_uid=uid)
