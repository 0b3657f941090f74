"""Uploaded files are checked by content, not by name or declared type."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formats import format_number

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def sniff(upload):
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload, allowed=DOCUMENT_TYPES, max_mb=None):
    """Return the true MIME type of `upload` or raise ValidationError with a clear message."""
    max_mb = max_mb or settings.MAX_UPLOAD_MB
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(max)s MB.")
            % {"size": format_number(upload.size / 1024 / 1024, 1), "max": max_mb},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    mime = sniff(upload)
    if mime not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(set(allowed.values()))).upper()},
            code="bad_type",
        )
    return mime
