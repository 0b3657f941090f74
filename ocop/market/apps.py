from django.apps import AppConfig

# Imports inside functions: models and hooks are imported in ready(), once the app registry is loaded.


class MarketConfig(AppConfig):
    name = "ocop.market"
    label = "market"

    def ready(self):
        # The catalogue filters and the product page show where a product is sold
        # (ocop/core/publication.py).
        from ocop.core.publication import register_source

        from .models import OnlineListing, SalePoint

        register_source(OnlineListing, lambda listing: (listing.product_id,))
        register_source(SalePoint, lambda point: point.products.values_list("pk", flat=True))
