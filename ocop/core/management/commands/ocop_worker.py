"""`manage.py ocop_worker [db_worker options]`: django-tasks-db's `db_worker` with a heartbeat, so that
tasks left RUNNING by a dead worker are detected and run again (ocop/core/taskqueue.py)."""

import contextlib

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from ocop.core.taskqueue import Heartbeat, stop


class Command(db_worker.Command):
    help = "Run the background worker (django-tasks-db's db_worker) with a heartbeat and stale-task recovery."

    def handle(self, *args, worker_id, **options):
        heartbeat = Heartbeat(worker_id)
        heartbeat.once()  # registered before the first claim; stale tasks of dead workers requeued
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(10)
            with contextlib.suppress(DatabaseError):
                stop(worker_id)  # a clean exit: no claim of this worker can be left RUNNING
