"""The publication step: a data app says what changed; the apps that show it publicly refresh.

One step, one place. Whatever changes the public face of products (their catalogue rows, product
pages, the verify pages of their stamp batches, the cached answers for their certificate numbers)
goes through `publish`:
- a domain function that writes in bulk (no model signal: the importer's certificates through
  `certificates.domain.issue_certificates`) calls `publish(products=ids)`; one that changes a record
  may call `publish(obj)` itself (the certificate lifecycle functions do);
- every save or delete of a *source* model calls `publish(obj)` for it: the data apps declare their
  source models and which products each one shows (`register_source`, in their `AppConfig.ready`), and
  this module connects the one receiver below to them (so a write through the admin, a shell or the
  demo data is published too, not only those of the domain functions).

The apps that publish register a publisher (`register_publisher`, in their `AppConfig.ready`), called
as `publisher(obj, product_ids)` (`obj` may be None, `product_ids` a frozenset, possibly empty) inside
the caller's transaction: the catalogue's read model is rewritten in that transaction (it commits or
rolls back with the change), and whatever lives outside the database (cache versions of product and
verify pages, cached answers) is replaced once the transaction commits (`transaction.on_commit`, in
each publisher). A data app never imports the apps that show its data (tests/test_layout.py).

What publishes what (docs/architecture.md, "Publication"):

| source (data app)                          | products                    | publishers                                  |
|--------------------------------------------|-----------------------------|---------------------------------------------|
| Product (registry)                         | itself                      | catalogue rows + product page; verify pages |
| Producer (registry)                        | its products                | same                                        |
| ProductPhoto (registry)                    | its product                 | product page; verify pages                  |
| Certificate (certificates; bulk: products) | its product                 | catalogue rows + product page; verify pages and certificate answers |
| OnlineListing, SalePoint, SalePoint.products (market) | theirs           | catalogue rows + product page               |
| StampBatch (stamps)                        | none                        | the batch's verify pages                    |

The programme's figures (`reports.statscache`) are not a public page of a product: they have their own
generation, bumped by the read model's refresh and by any save of the models the figures read."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

_publishers = []
_sources = {}
_DISPATCH = "ocop.core.publication"


def register_publisher(publisher):
    """Add a publisher (registering the same one again keeps one)."""
    if publisher not in _publishers:
        _publishers.append(publisher)


def register_source(model, products_of):
    """Declare `model` a source of public pages: every save or delete of one of its records is
    published, with the products `products_of(record)` returns (ids). For an m2m `through` model,
    `products_of(instance, reverse, pk_set)` gives the products of a change of its rows."""
    _sources[model] = products_of
    if model._meta.auto_created:  # an m2m table: its rows change through m2m_changed only
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=_DISPATCH)
        return
    post_save.connect(_saved, sender=model, dispatch_uid=_DISPATCH)
    pre_delete.connect(_deleting, sender=model, dispatch_uid=_DISPATCH)
    post_delete.connect(_deleted, sender=model, dispatch_uid=_DISPATCH)


def products_of(obj):
    """The ids of the products whose public face shows `obj` (per its source's declaration)."""
    if obj is None:
        return frozenset()
    found = _sources.get(type(obj))
    return frozenset(pk for pk in (found(obj) if found else ()) if pk is not None)


def publish(obj=None, *, products=()):
    """Tell every registered publisher that `obj` and/or the products `products` (ids) changed; the
    products `obj` shows (its source's declaration) are added to them."""
    product_ids = frozenset(pk for pk in products if pk is not None) | products_of(obj)
    for publisher in tuple(_publishers):
        publisher(obj, product_ids)


def _saved(sender, instance, **kwargs):
    publish(instance)


def _deleting(sender, instance, **kwargs):
    # After the delete the record's relations are gone (a sale point's products): read them now.
    instance._publication_products = products_of(instance)


def _deleted(sender, instance, **kwargs):
    publish(instance, products=getattr(instance, "_publication_products", ()))


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        instance._publication_products = frozenset(_sources[sender](instance, reverse, None))
    elif action == "post_clear":
        publish(products=getattr(instance, "_publication_products", ()))
    elif action in ("post_add", "post_remove"):
        publish(products=_sources[sender](instance, reverse, pk_set))
