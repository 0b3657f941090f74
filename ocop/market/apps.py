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
        register_source(SalePoint.products.through, _carried)


def _carried(point_or_product, reverse, pk_set):
    """Products concerned by a change of the products a sale point carries (from either side)."""
    if reverse:  # product.sale_points.add(...): the product
        return (point_or_product.pk,)
    if pk_set is None:  # clearing a sale point's products: all it carried
        return tuple(point_or_product.products.values_list("pk", flat=True))
    return tuple(pk_set)
