"""Tasks abandoned by a dead worker are run again (django-tasks-db has no such mechanism of its own).

django-tasks-db claims a task by setting it RUNNING under a row lock; a worker killed with SIGKILL (or
the OOM killer, or a machine that died) leaves it RUNNING forever, half done. `manage.py ocop_worker` (the
db_worker with a heartbeat) writes a `WorkerHeartbeat` row every TASK_HEARTBEAT_SECONDS and, in the same
thread, calls `requeue_stale()`:

- a RUNNING task is *stale* when the worker that claimed it (the last of its `worker_ids`) has not beaten
  for TASK_WORKER_TIMEOUT_SECONDS, or, for a worker that never beats (a plain `db_worker`), when it
  started more than TASK_MAX_RUN_SECONDS ago;
- a stale task goes back to READY (same row, same arguments: the tasks are idempotent, see below) with
  one `core.task.requeued` activity row; after TASK_MAX_ATTEMPTS claims it is marked FAILED instead
  (`core.task.abandoned`), so a task that kills its worker cannot loop.

`/healthz` counts stale tasks (`checks.tasks.stuck`) and fails while there are any.

Every task must be safe to run again after being cut off at any point: `send_expiry_notices` records
one notice per (certificate, threshold) under a unique constraint; `evaluation.tasks.notify` creates one
notification per (user, key) and mails each at most once unless the worker died between the mail and
its `emailed_at` mark; `accounts.tasks.send_password_link` writes nothing, so a re-run at worst mails a
second, equally valid link."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from .activity import log_activity
from .models import WorkerHeartbeat
from .permissions import SYSTEM

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose workers kept dying while running it."""


def beat(worker_id, *, started_at=None, now=None):
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at or now,
            beat_at=now,
        )


def stop(worker_id):
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _running():
    # django-tasks-db's models: only with the database task backend
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING")


def stale_tasks(now=None):
    """The RUNNING tasks whose worker is gone (see the module's docstring), oldest first."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(
            beat_at__gte=now - timedelta(seconds=settings.TASK_WORKER_TIMEOUT_SECONDS)
        ).values_list("worker_id", flat=True)
    )
    known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    too_long = now - timedelta(seconds=settings.TASK_MAX_RUN_SECONDS)
    stale = []
    for task in _running().order_by("started_at").only("id", "worker_ids", "started_at"):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker in alive:
            continue
        if worker in known or task.started_at is None or task.started_at < too_long:
            stale.append(task)
    return stale


def requeue_stale(now=None):
    """Put the stale tasks back in the queue (or fail those claimed too often); returns how many."""
    # django-tasks-db's models: only with the database task backend
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    done = 0
    for found in stale_tasks(now):
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=found.pk, status="RUNNING", started_at=found.started_at)
                .first()
            )
            if task is None:  # finished meanwhile, or another worker is on it
                continue
            data = {
                "task": task.task_path,
                "worker": task.worker_ids[-1] if task.worker_ids else "",
                "started_at": task.started_at,
                "attempts": len(task.worker_ids),
            }
            if len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                task.set_failed(WorkerLost(f"its worker died {len(task.worker_ids)} times while running it"))
                log_activity(task, "core.task.abandoned", actor=SYSTEM, data=data)
                log.error(
                    "task %s (%s) abandoned after %s attempts", task.pk, task.task_path, data["attempts"]
                )
            else:
                task.status, task.started_at = "READY", None
                task.save(update_fields=["status", "started_at"])
                log_activity(task, "core.task.requeued", actor=SYSTEM, data=data)
                log.warning("task %s (%s) of a dead worker put back in the queue", task.pk, task.task_path)
            done += 1
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return done


def stuck_count(now=None):
    return len(stale_tasks(now))


class Heartbeat(threading.Thread):
    """The worker's companion thread: beat, then requeue what dead workers left, every
    TASK_HEARTBEAT_SECONDS (its own database connection)."""

    def __init__(self, worker_id):
        super().__init__(name="task-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self):
        # The worker called once() before starting this thread.
        while not self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS):
            close_old_connections()  # this thread's connection (never the worker's, mid-transaction)
            self.once()
        connection.close()  # this thread's own connection

    def once(self):
        try:
            beat(self.worker_id, started_at=self.started_at)
            requeue_stale()
        except DatabaseError:  # a locked SQLite file or a database restart: try again next beat
            log.warning("worker heartbeat failed", exc_info=True)
