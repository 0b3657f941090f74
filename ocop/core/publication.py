"""The publication step: a domain function says what it changed; the apps that show it publicly refresh.

One step, one place, called by the code that writes. Whatever changes the public face of products
(their catalogue rows, product pages, the verify pages of their stamp batches, the cached answers for
their certificate numbers) is published by the domain function that writes it, inside its transaction,
after the write: `publish(record)` for a changed record (its source declares which products it shows),
`publish(products=ids)` for a bulk write (`certificates.domain.issue_certificates`, which the importer
and `issue_certificate` go through, publishes each product it touched once). No model signal is
connected: a write outside the domain functions (a shell, a bare `save()`, `QuerySet.update`, raw SQL)
publishes nothing, and `manage.py refresh_catalog` rebuilds the read model. The Django admin
shows the source models read-only; the demo data (`core.demo.run_steps`) ends by publishing every
product.

The data apps declare their *sources* and which products a record of each shows (`register_source`, in
their `AppConfig.ready`; a declaration only). The apps that publish register a publisher
(`register_publisher`, in their `AppConfig.ready`), called as `publisher(obj, product_ids)` (`obj` may
be None, `product_ids` a frozenset, possibly empty) inside the caller's transaction: the catalogue's
read model is rewritten in that transaction (it commits or rolls back with the change), and whatever
lives outside the database (cache versions of product and verify pages, cached answers) is replaced
once the transaction commits (`transaction.on_commit`, in each publisher): a rolled-back change
publishes nothing. A data app never imports the apps that show its data (tests/test_layout.py).

What publishes what (docs/architecture.md, "Publication"):

| source (data app), published by                                  | products      | publishers                                  |
|------------------------------------------------------------------|---------------|---------------------------------------------|
| Product (registry: create/update_product, approve_change_request; evaluation: the product code) | itself | catalogue rows + product page; verify pages |
| Producer (registry: update_producer, set_producer_status, approve_change_request) | its products | same              |
| ProductPhoto (registry: add_photo)                               | its product   | product page; verify pages                  |
| TraceCode (registry: add_trace_code, remove_trace_code)          | its product   | product page; verify pages                  |
| Certificate (certificates: issue_certificates and the lifecycle functions) | its product | catalogue rows + product page; verify pages and certificate answers |
| OnlineListing, SalePoint and its products (market: listings, sale points) | theirs  | catalogue rows + product page               |
| StampBatch (stamps: order, approve, reject, block, unblock)      | none          | the batch's verify pages                    |

The programme's figures (`reports.statscache`) are not a public page of a product: they have their own
generation, bumped by the read model's refresh and by any save of the models the figures read."""

_publishers = []
_sources = {}


def register_publisher(publisher):
    """Add a publisher (registering the same one again keeps one)."""
    if publisher not in _publishers:
        _publishers.append(publisher)


def register_source(model, products_of):
    """Declare `model` a source of public pages: `products_of(record)` gives the ids of the products
    whose public face shows a record of it (what `publish(record)` refreshes). A declaration only: no
    signal is connected, the domain functions call `publish`."""
    _sources[model] = products_of


def products_of(obj):
    """The ids of the products whose public face shows `obj` (per its source's declaration)."""
    if obj is None:
        return frozenset()
    found = _sources.get(type(obj))
    return frozenset(pk for pk in (found(obj) if found else ()) if pk is not None)


def publish(obj=None, *, products=()):
    """Tell every registered publisher that `obj` and/or the products `products` (ids) changed; the
    products `obj` shows (its source's declaration) are added to them. Call it inside the domain
    function's transaction, after the write (for a delete, pass the products read before it when
    the record's relations go with it)."""
    product_ids = frozenset(pk for pk in products if pk is not None) | products_of(obj)
    for publisher in tuple(_publishers):
        publisher(obj, product_ids)
