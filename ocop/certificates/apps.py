from django.apps import AppConfig

# Imports inside functions: models and hooks are imported in ready(), once the app registry is loaded.


class CertificatesConfig(AppConfig):
    name = "ocop.certificates"
    label = "certificates"

    def ready(self):
        # A product's certificates make it public (ocop/core/publication.py).
        from ocop.core.publication import register_source

        from .models import Certificate

        register_source(Certificate, lambda certificate: (certificate.product_id,))
