"""Test settings: the real settings, overriding only speed and isolation (as pretalx does)."""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ocop-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ocop-test-private-"))
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "ocop.core.privatefiles.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve static files through the finders; there is no collectstatic output.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
