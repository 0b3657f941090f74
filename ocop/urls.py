from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from ocop.api.api import api
from ocop.core.views import switch_language, trivial

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", switch_language, name="switch_language"),
    path("bench/trivial", trivial, name="trivial"),
    path("", include("ocop.api.urls_ops")),
    path("", include("ocop.catalog.urls_verify")),
    path("accounts/", include("ocop.accounts.urls")),
    path("office/", include("ocop.backoffice.urls")),
    path("admin/", admin.site.urls),
    path("", include("ocop.catalog.urls_practice")),
    path("", include("ocop.catalog.urls_reports")),
    path("", include("ocop.catalog.urls")),
]

if settings.DEBUG or not settings.PRODUCTION:
    # In production the web server (nginx/Caddy) serves media; see docs/deploy.md.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

__all__ = ["i18n_patterns"]

handler404 = "ocop.core.views.page_not_found"
