from django.urls import include, path

from .views import home

app_name = "backoffice"
urlpatterns = [
    path("", home.home, name="home"),
    path("", include("ocop.backoffice.urls_registry")),
    path("", include("ocop.backoffice.urls_import")),
    path("", include("ocop.backoffice.urls_evaluation")),
    path("", include("ocop.backoffice.urls_certificates")),
    path("", include("ocop.backoffice.urls_programme")),
    path("", include("ocop.backoffice.urls_market")),
    path("", include("ocop.backoffice.urls_ops")),
    path("", include("ocop.backoffice.urls_accounts")),
    path("", include("ocop.backoffice.urls_rounds")),
]
