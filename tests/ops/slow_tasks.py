"""A task for the worker-kill test (tests/ops/test_worker_kill.py): its first run marks a file and
sleeps (to be killed); a run that finds the mark returns at once."""

import time
from pathlib import Path

from django.tasks import task


@task
def slow_once(mark):
    path = Path(mark)
    if path.exists():
        return "second run"
    path.write_text("first run")
    time.sleep(60)
    return "first run"
