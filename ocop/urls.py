import posixpath

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.views.static import serve

from ocop.accounts.urls import urlpatterns as account_patterns
from ocop.api.api import api
from ocop.backoffice.views.registration import register
from ocop.core.views import switch_language, trivial

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", switch_language, name="switch_language"),
    path("bench/trivial", trivial, name="trivial"),
    path("", include("ocop.api.urls_ops")),
    path("", include("ocop.catalog.urls_verify")),
    # The producer's registration page keeps its address and name among the account pages; its view is
    # the office's and its work the registry's (accounts sits below registry: tests/test_layout.py).
    path(
        "accounts/",
        include(([*account_patterns, path("register/", register, name="register")], "accounts")),
    ),
    path("office/", include("ocop.backoffice.urls")),
    path("admin/", admin.site.urls),
    path("", include("ocop.catalog.urls_practice")),
    path("", include("ocop.catalog.urls_reports")),
    path("", include("ocop.catalog.urls")),
]

# Folders of MEDIA_ROOT that hold private files in installations older than the private storage, before
# `migrate` moved them (ocop/evaluation/migrations/0002_evidence_private_storage.py): never served.
PRIVATE_MEDIA_FOLDERS = ("dossiers",)


def serve_public_media(request, path):
    """Development server only: product photos and other public media; never a private folder."""
    first = posixpath.normpath(path.replace("\\", "/")).lstrip("/").split("/", 1)[0]
    if first.lower() in PRIVATE_MEDIA_FOLDERS:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG or not settings.PRODUCTION:
    # In production the web server (nginx/Caddy) serves media; see docs/deploy.md. Private files live
    # outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT) and leave only through permission-checked views.
    urlpatterns += [path("media/<path:path>", serve_public_media)]

__all__ = ["i18n_patterns"]

handler404 = "ocop.core.views.page_not_found"
handler403 = "ocop.core.views.permission_denied"
