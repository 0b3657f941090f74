"""The activity log: every state change writes exactly one row."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q

from .models import ActivityLog, Sequence


def _jsonable(data):
    # Dates, decimals and lazy strings become plain JSON values.
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def log_activity(obj, action, *, actor, data=None):
    """Append one ActivityLog row. `actor` is required, as in Zulip: the user, or `ocop.core.permissions.SYSTEM`
    for the platform (stored as no user; None is still accepted here)."""
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=_jsonable(data),
    )


def history_for(obj):
    return ActivityLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def history_for_many(objs):
    """The rows of several objects (of any models) together, newest first: a product with its
    certificates, for instance."""

    q = Q(pk__in=[])
    for obj in objs:
        q |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return ActivityLog.objects.filter(q).select_related("actor")


def next_in_sequence(key, count=1):
    """Atomically take the next `count` numbers of counter `key` (call inside a transaction); returns
    the last one taken."""

    Sequence.objects.get_or_create(key=key)
    Sequence.objects.filter(key=key).update(value=F("value") + count)
    return Sequence.objects.get(key=key).value
