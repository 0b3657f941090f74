from django.urls import path

from .views import imports

urlpatterns = [
    path("import/", imports.import_start, name="import_products"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
]
