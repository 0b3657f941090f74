"""The publication step: a data app says what changed; the apps that show it publicly refresh.

A domain function calls `publish(obj)` (one record changed) or `publish(products=ids)` (the public face
of these products changed, e.g. after a bulk write that sends no model signals). The apps that publish
(the catalogue's read model and cached product pages, the stamps' cached verify answers) register a
publisher in their `AppConfig.ready()`. So a data app never imports the app that shows its data
(checked by tests/test_layout.py).

A publisher is called as `publisher(obj, product_ids)` (`obj` may be None, `product_ids` a frozenset,
possibly empty) inside the caller's transaction; what must wait for the commit waits with
`transaction.on_commit` itself."""

_publishers = []


def register_publisher(publisher):
    """Add a publisher (registering the same one again keeps one)."""
    if publisher not in _publishers:
        _publishers.append(publisher)


def publish(obj=None, *, products=()):
    """Tell every registered publisher that `obj` and/or the products `products` (ids) changed."""
    product_ids = frozenset(pk for pk in products if pk is not None)
    for publisher in tuple(_publishers):
        publisher(obj, product_ids)
