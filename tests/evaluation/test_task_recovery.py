"""#12 item 7: a task left RUNNING by a killed worker is detected (/healthz fails), put back in the queue
by the next `ocop_worker` and run again without duplicates; a live worker's task is left alone; a task
whose workers keep dying is failed instead of looping."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ocop.core import taskqueue
from ocop.core.models import ActivityLog, WorkerHeartbeat
from ocop.evaluation.models import Notification
from ocop.evaluation.tasks import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.integration

AGO = datetime.timedelta(minutes=10)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def users(db):
    return [UserFactory(username=f"nhan{i}", email=f"nhan{i}@example.vn") for i in range(3)]


def _claimed(row, worker, *, started=AGO, attempts=0):
    """The task as a worker left it: RUNNING, claimed `started` ago (after `attempts` earlier claims)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=row.id).update(
        status="RUNNING",
        started_at=timezone.now() - started,
        worker_ids=[f"earlier{i}" for i in range(attempts)] + [worker],
    )
    return DBTaskResult.objects.get(pk=row.id)


def _beat(worker, ago):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=worker, started_at=now - AGO, beat_at=now - ago)


# The worker closes "old" connections between tasks: on PostgreSQL that would close a test transaction.
@pytest.mark.django_db(transaction=True)
def test_killed_workers_task_is_reported_requeued_and_rerun_without_duplicates(
    client, db_tasks, draft, users
):
    result = notify.enqueue(user_ids=[u.pk for u in users], verb="submitted", dossier_id=draft.pk, key="k1")
    row = _claimed(result, "killed")
    _beat("killed", AGO)  # its last sign of life, ten minutes ago
    # The killed run had written the first user's notice and mailed it.
    Notification.objects.create(
        user=users[0], key="k1", verb="submitted", title="t", emailed_at=timezone.now()
    )

    stuck = client.get("/healthz")
    call_command(
        "ocop_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        "w2",
        stdout=io.StringIO(),
    )
    after = client.get("/healthz")

    row.refresh_from_db()
    assert (stuck.status_code, stuck.json()["checks"]["tasks"]["stuck"]) == (503, 1)
    assert (row.status, row.worker_ids) == ("SUCCESSFUL", ["killed", "w2"])
    assert sorted(Notification.objects.values_list("user__username", "key")) == [
        ("nhan0", "k1"),
        ("nhan1", "k1"),
        ("nhan2", "k1"),
    ]
    assert [m.to for m in mail.outbox] == [["nhan1@example.vn"], ["nhan2@example.vn"]]
    assert list(
        ActivityLog.objects.filter(action__startswith="core.task").values_list("action", "object_id")
    ) == [("core.task.requeued", str(row.pk))]
    # nothing stuck any more; the batch worker has exited, so no worker is alive: still 503 (deploy.md)
    after_tasks = after.json()["checks"]["tasks"]
    assert (after.status_code, after_tasks["stuck"], after_tasks["workers"]) == (503, 0, 0)


def test_live_workers_long_task_is_left_alone(db_tasks, draft, users):
    result = notify.enqueue(user_ids=[users[0].pk], verb="submitted", dossier_id=draft.pk, key="k2")
    row = _claimed(result, "alive", started=datetime.timedelta(hours=5))
    _beat("alive", datetime.timedelta(seconds=5))

    assert (taskqueue.stale_tasks(), taskqueue.requeue_stale()) == ([], 0)
    row.refresh_from_db()
    assert row.status == "RUNNING"


@pytest.mark.parametrize(
    ("started", "requeued"), [(datetime.timedelta(hours=2), 1), (datetime.timedelta(minutes=1), 0)]
)
def test_task_of_a_worker_without_heartbeat_is_requeued_after_the_maximum_run_time(
    db_tasks, draft, users, started, requeued
):
    result = notify.enqueue(user_ids=[users[0].pk], verb="submitted", dossier_id=draft.pk, key="k3")
    row = _claimed(result, "plain-db-worker", started=started)

    assert taskqueue.requeue_stale() == requeued
    row.refresh_from_db()
    assert row.status == ("READY" if requeued else "RUNNING")


def test_task_whose_workers_keep_dying_is_failed_not_looped(db_tasks, draft, users):
    result = notify.enqueue(user_ids=[users[0].pk], verb="submitted", dossier_id=draft.pk, key="k4")
    row = _claimed(result, "killed", attempts=2)
    _beat("killed", AGO)

    assert taskqueue.requeue_stale() == 1
    row.refresh_from_db()
    assert (row.status, row.exception_class_path) == ("FAILED", "ocop.core.taskqueue.WorkerLost")
    assert list(
        ActivityLog.objects.filter(action__startswith="core.task").values_list("action", flat=True)
    ) == ["core.task.abandoned"]


def test_notify_run_twice_with_its_key_notifies_and_mails_once(draft, users):
    for _ in range(2):
        notify.call(user_ids=[u.pk for u in users], verb="submitted", dossier_id=draft.pk, key="k5")

    assert Notification.objects.filter(key="k5").count() == 3
    assert len(mail.outbox) == 3
