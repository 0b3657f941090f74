from django.urls import path, re_path

from .views import verify

app_name = "verify"
urlpatterns = [
    path("v/", verify.form, name="form"),
    path("v/<str:code>", verify.page, name="code"),
    path("V/<str:code>", verify.page),  # QR codes carry the URL in upper case (alphanumeric mode)
    re_path(r"^01/(?P<gtin>[0-9]{8,14})/21/(?P<serial>[0-9A-Za-z]{1,40})$", verify.gs1, name="gs1"),
]
