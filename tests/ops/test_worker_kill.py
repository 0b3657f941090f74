"""#12 item 7 for real: `kill -9` an `ocop_worker` while its task is RUNNING; /healthz reports the stuck
task, and the next worker puts it back in the queue and runs it (PostgreSQL: worker processes on the
test database)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from ocop.core.models import ActivityLog

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _worker(env, *args):
    command = [sys.executable, str(ROOT / "manage.py"), "ocop_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen([*command, "--interval", "0.2", *args], env=env, cwd=ROOT)


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_kill_9_while_running_is_reported_and_the_task_runs_again(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open (the PostgreSQL run covers this)")
    from django_tasks_db.models import DBTaskResult

    from .slow_tasks import slow_once

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_TIMEOUT_SECONDS = 2
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TASK_WORKER_TIMEOUT_SECONDS": "2",
        "TASK_HEARTBEAT_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    result = slow_once.enqueue(str(tmp_path / "mark"))
    first = _worker(env, "--worker-id", "first")
    try:
        running = _wait_for(lambda: DBTaskResult.objects.filter(pk=result.id, status="RUNNING").exists())
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    time.sleep(3)  # longer than TASK_WORKER_TIMEOUT_SECONDS without a heartbeat
    stuck = Client().get("/healthz")

    second = _worker(env, "--worker-id", "second", "--batch")
    second.wait(60)
    row = DBTaskResult.objects.get(pk=result.id)
    healthy = Client().get("/healthz")

    assert running is True
    assert (stuck.status_code, stuck.json()["checks"]["tasks"]["stuck"]) == (503, 1)
    assert (row.status, row.worker_ids, row.return_value) == ("SUCCESSFUL", ["first", "second"], "second run")
    assert list(
        ActivityLog.objects.filter(action="core.task.requeued").values_list("object_id", flat=True)
    ) == [str(row.pk)]
    # nothing stuck; the batch worker has exited and no worker beats any more: 503 until one runs again
    tasks = healthy.json()["checks"]["tasks"]
    assert (healthy.status_code, tasks["stuck"], tasks["workers"]) == (503, 0, 0)
