from django.apps import AppConfig

# Imports inside functions: models and hooks are imported in ready(), once the app registry is loaded.


class RegistryConfig(AppConfig):
    name = "ocop.registry"
    label = "registry"

    def ready(self):
        # The public pages show products, their producers and photos (ocop/core/publication.py).
        from ocop.core.publication import register_source

        from .models import Producer, Product, ProductPhoto, TraceCode

        register_source(Product, lambda product: (product.pk,))
        register_source(Producer, lambda producer: producer.products.values_list("pk", flat=True))
        register_source(ProductPhoto, lambda photo: (photo.product_id,))
        register_source(TraceCode, lambda trace: (trace.product_id,))
