import datetime

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from ocop.api import health

pytestmark = pytest.mark.integration


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert (response.status_code, body["status"]) == (200, "ok")
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["tasks"] == {
        "ok": True,
        "backend": "ImmediateBackend",
        "ready": 0,
        "lag_seconds": 0,
    }
    assert body["checks"]["disk"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def _refuse(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def test_healthz_database_down_is_503(client, db):
    with connection.execute_wrapper(_refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["tasks"] == {"ok": False, "error": "database"}


def test_healthz_task_lag_over_limit_is_503(client, db, settings):
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_MAX_TASK_LAG_SECONDS = 60
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="ocop.x.task",
        backend_name="default",
        run_after=get_date_max(),
        queue_name="default",
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    tasks = response.json()["checks"]["tasks"]
    assert (response.status_code, tasks["ok"], tasks["ready"]) == (503, False, 1)
    assert 599 <= tasks["lag_seconds"] <= 660


def _beat(seconds_ago):
    from ocop.core.models import WorkerHeartbeat

    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}", host="h", pid=1, started_at=at, beat_at=at
    )


def test_task_lag_ignores_tasks_scheduled_later(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _beat(5)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="ocop.x.task",
        backend_name="default",
        run_after=timezone.now() + datetime.timedelta(hours=1),
        queue_name="default",
    )
    assert health.check_tasks() == {
        "ok": True,
        "ready": 0,
        "lag_seconds": 0.0,
        "max_lag_seconds": 300,
        "running": 0,
        "stuck": 0,
        "workers": 1,
    }


def test_healthz_without_a_live_worker_is_503(client, db, settings):
    """docs/deploy.md: /healthz fails while no worker beats (nothing would run what is queued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_TIMEOUT_SECONDS = 120
    _beat(600)  # a worker that stopped beating ten minutes ago
    response = client.get("/healthz")
    tasks = response.json()["checks"]["tasks"]
    assert (response.status_code, tasks["ok"], tasks["workers"], tasks["ready"]) == (503, False, 0, 0)


def test_healthz_with_a_live_worker_is_200(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_TIMEOUT_SECONDS = 120
    _beat(10)
    response = client.get("/healthz")
    tasks = response.json()["checks"]["tasks"]
    assert (response.status_code, tasks["ok"], tasks["workers"]) == (200, True, 1)


def test_healthz_low_disk_is_503(client, db, settings):
    settings.HEALTH_MIN_FREE_DISK_MB = 10**12  # more than any disk has
    response = client.get("/healthz")
    assert (response.status_code, response.json()["checks"]["disk"]["ok"]) == (503, False)
