from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "ocop.certificates"
    label = "certificates"
