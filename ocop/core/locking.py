"""Optimistic locking of edit forms (two tabs, or two officers, editing one record).

An edit form carries the record's lock token as it was when the form was opened (`LockTokenMixin`
adds the hidden field); the domain function re-reads the record under `select_for_update` and calls
`check_unchanged(record, token)` before writing. A save whose token is stale is refused with
`StaleEdit` (409, a Vietnamese message) and nothing is written, so the second save never silently
drops the first one's changes.

The token is the record's `lock_version` when it has one (the scoresheet), else its `updated_at` in
microseconds: every domain update saves `updated_at`, so no extra column is needed."""

import datetime
import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

LOCK_FIELD = "lock_token"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class StaleEdit(DomainError):
    status = 409

    def __init__(self, message=None, *, code="stale_edit"):
        super().__init__(
            message
            or _(
                "Someone saved this record after you opened the form (another tab or another officer). "
                "Nothing was saved: reload the page to see their changes, then make yours again."
            ),
            code=code,
        )


def token_of(obj):
    """The record's lock token as a string ("" for a record not saved yet)."""
    if obj is None or obj.pk is None:
        return ""
    if hasattr(obj, "lock_version"):
        return str(obj.lock_version)
    stamp = getattr(obj, "updated_at", None)
    if stamp is None:
        return ""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.UTC)
    return str((stamp - _EPOCH) // datetime.timedelta(microseconds=1))


def content_token(obj, fields):
    """A lock token from the values of `fields`, for a record without `updated_at` or `lock_version`
    (a user account): a save that changed any of them changes the token."""

    values = "\x1f".join(str(getattr(obj, name)) for name in fields)
    return hashlib.sha256(values.encode()).hexdigest()[:20]


def check_unchanged(obj, token, *, message=None, code="stale_edit"):
    """Refuse (StaleEdit, 409) when `token` is given and no longer the token of `obj`.

    Call it on the row read with `select_for_update`, before anything is written. `token` None means
    the caller has no form token (a domain call from code): no check."""
    if token is None:
        return
    if str(token).strip() != token_of(obj):
        raise StaleEdit(message, code=code)


def bump(obj):
    """Make the record's token change although none of its own columns did (e.g. only related rows
    changed): saves `updated_at`."""
    obj.save(update_fields=["updated_at"])


class LockTokenMixin:
    """For a ModelForm editing a saved record (or a plain form given `lock_record=`): a hidden `lock_token` field (required) holding the
    record's token; after validation it is taken out of `cleaned_data` into `form.lock_token`, so
    views keep passing `**form.cleaned_data` to the domain."""

    def __init__(self, *args, lock_record=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = lock_record if lock_record is not None else getattr(self, "instance", None)
        self.lock_token = None
        if instance is not None and instance.pk is not None:
            self.fields[LOCK_FIELD] = forms.CharField(
                widget=forms.HiddenInput, initial=token_of(instance), required=False
            )

    def clean(self):
        data = super().clean()
        if LOCK_FIELD in self.fields:
            self.lock_token = (data.pop(LOCK_FIELD, None) or "").strip() or None
            if self.lock_token is None:  # a hidden field's error would not be shown: a form error
                self.add_error(
                    None, _("This form is out of date: reload the page and make your changes again.")
                )
        return data
