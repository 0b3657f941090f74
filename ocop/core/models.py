from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ActivityLog(models.Model):
    """One row per state change: who did what to which object, with the values before and after.

    Rows are only ever appended (see `ocop.core.activity.log_activity`)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    content_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Sequence(models.Model):
    """Named counters for human numbers (certificate numbers, decision numbers)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.value}"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life (`manage.py ocop_worker` beats every TASK_HEARTBEAT_SECONDS).
    A RUNNING task whose worker stopped beating was abandoned (ocop/core/taskqueue.py)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"


class DemoRecord(models.Model):
    """What `seed_demo` created, under a stable key ("registry.product:17"), so a rerun finds the
    object however it was edited since, and does not bring back one an office deleted."""

    key = models.CharField(max_length=120, unique=True)
    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
