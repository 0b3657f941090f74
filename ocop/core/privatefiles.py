"""Private files (dossier evidence): stored outside MEDIA_ROOT under random names, sent only by views
that have checked permission and scope.

- `private_storage()` is the storage of such fields (`STORAGES["private"]`, by default
  `PRIVATE_MEDIA_ROOT` on disk). Its files have no URL: `url()` raises, so no template can link to one.
- `private_name(folder, extension)` makes a random name (128 bits from `secrets`): knowing one file's
  name tells nothing about another's.
- `send_private_file(...)` answers a download: Django streams the file itself in development; with
  `PRIVATE_FILES_SERVER=x-accel-redirect` (nginx, Caddy) the answer carries an `X-Accel-Redirect` to
  the front server's internal-only location, with `x-sendfile` (Apache, lighttpd) an `X-Sendfile` path;
  the front server then sends the bytes. Always as an attachment, sandboxed and not cached.
docs/deploy.md has the nginx and Caddy configuration.
"""

import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder the web server never serves by URL."""

    def url(self, name):
        raise ValueError("Private files have no public URL: send them with send_private_file().")


def private_storage():
    return storages["private"]


def private_name(folder, extension):
    return f"{folder.rstrip('/')}/{secrets.token_hex(16)}.{extension.lstrip('.')}"


def send_private_file(name, *, content_type, filename, storage=None):
    """The download answer for the private file `name` (already permission-checked by the caller)."""
    storage = storage or private_storage()
    mode = settings.PRIVATE_FILES_SERVER
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_INTERNAL_URL.rstrip("/") + "/" + quote(name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
