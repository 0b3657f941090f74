"""`/healthz`: is the database answering, is the task queue keeping up, is there disk left?

200 with `"status": "ok"` when every check passes, 503 with `"status": "fail"` otherwise; each check
reports its figures so a monitor can graph them. No personal data, no authentication (it reveals only
queue lag and free space). Thresholds: HEALTH_MAX_TASK_LAG_SECONDS, HEALTH_MIN_FREE_DISK_MB."""

import datetime
import os
import shutil
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop.core import taskqueue
from ocop.core.models import WorkerHeartbeat


def check_database():
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_tasks(now=None):
    """Lag of the task queue (age of the oldest task that is ready to run and not yet claimed), and
    `stuck`: RUNNING tasks whose worker is gone (ocop/core/taskqueue.py); any stuck task fails the check
    until a live `ocop_worker` puts it back in the queue. No live worker (no heartbeat row younger
    than TASK_WORKER_TIMEOUT_SECONDS) fails it too: nothing would run what is queued."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1], "ready": 0, "lag_seconds": 0}
    # django-tasks-db's models: only with the database task backend
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    try:
        ready = DBTaskResult.objects.filter(status="READY").filter(
            Q(run_after__lte=now) | Q(run_after=get_date_max())
        )
        count = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
        running = DBTaskResult.objects.filter(status="RUNNING").count()
        stuck = taskqueue.stuck_count(now) if running else 0
        workers = WorkerHeartbeat.objects.filter(
            beat_at__gte=now - datetime.timedelta(seconds=settings.TASK_WORKER_TIMEOUT_SECONDS)
        ).count()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    lag = 0.0
    if oldest:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        lag = max(0.0, (now - since).total_seconds())
    limit = settings.HEALTH_MAX_TASK_LAG_SECONDS
    return {
        "ok": lag <= limit and not stuck and workers > 0,
        "ready": count,
        "lag_seconds": round(lag, 1),
        "max_lag_seconds": limit,
        "running": running,
        "stuck": stuck,
        "workers": workers,
    }


def check_disk():
    """Free space where media are written (and, for SQLite, where the database lives)."""
    paths = {"media": settings.MEDIA_ROOT}
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not str(db["NAME"]).startswith(("file:", ":memory:")):
        paths["database"] = os.path.dirname(str(db["NAME"])) or "."
    minimum = settings.HEALTH_MIN_FREE_DISK_MB
    out = {"ok": True, "min_free_mb": minimum}
    for name, path in paths.items():
        path = str(path)
        while path and not os.path.exists(path):
            path = os.path.dirname(path)
        usage = shutil.disk_usage(path or "/")
        free_mb = usage.free // (1024 * 1024)
        out[name] = {"free_mb": free_mb, "free_percent": round(100 * usage.free / usage.total, 1)}
        out["ok"] = out["ok"] and free_mb >= minimum
    return out


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database()}
    checks["tasks"] = check_tasks() if checks["database"]["ok"] else {"ok": False, "error": "database"}
    checks["disk"] = check_disk()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)
