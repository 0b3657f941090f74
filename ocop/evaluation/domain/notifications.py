"""Notices: a user marks theirs read."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ocop.core.activity import log_activity

from ..models import Notification


@transaction.atomic
def mark_notifications_read(user, *, actor):
    """Mark every unread notice of `user` read (one user marks only their own). Returns how many."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        log_activity(user, "evaluation.notifications.read", actor=actor, data={"count": count})
    return count
