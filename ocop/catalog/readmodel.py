"""Keeping the catalogue's read model (`CatalogEntry`) in step with the registry, certificates and market.

`refresh_catalog_entries(product_ids)` recomputes the rows of some products from the source tables
(inside the caller's transaction, so the read model commits or rolls back with the change) and, once
the transaction commits, bumps their product pages' cache versions (`pagecache.bump`).

It is called:
- by the publication step (`ocop.core.publication`; this module's `publisher`, registered in
  `CatalogConfig.ready`), which the domain functions call after writing a certificate, product,
  producer, photo, online listing, sale point or the products it carries (`issue_certificates`, the
  importer's included, publishes each product it wrote once). The catalogue (a view app) is told by
  the data apps, so they need not import it. A write outside the domain functions publishes nothing;
- by `manage.py refresh_catalog` (`rebuild_catalog`): a full, idempotent rebuild, safe to run nightly.

Nothing here depends on today: expiry on a later day needs no refresh, the span already ends then."""

import itertools
from collections import defaultdict

from django.db import connection, transaction

from ocop.certificates.models import Certificate
from ocop.certificates.status import is_valid_on
from ocop.core.dates import today
from ocop.market.enums import ListingCheck, SalePointKind, SalePointStatus
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.enums import ProducerStatus, ProductStatus, group_of
from ocop.registry.models import Product, ProductPhoto, TraceCode
from ocop.reports import statscache
from ocop.stamps.models import StampBatch

from . import pagecache
from .models import CatalogEntry
from .search import forget_provinces

CHUNK = 1000
CHANNEL_FIELDS = {
    SalePointKind.OCOP_POINT: "in_ocop_point",
    SalePointKind.SUPERMARKET: "in_supermarket",
    SalePointKind.SHOP: "in_shop",
    SalePointKind.TOURISM_SITE: "in_tourism_site",
}
CERT_FIELDS = (
    "pk",
    "product_id",
    "number",
    "star",
    "potential_5_star",
    "issued_on",
    "expires_on",
    "revoked_on",
    "superseded_on",
    "extended_to",
)


def spans(certs):
    """[(valid_from, valid_until, certificates in force)] for one product's certificates.

    Validity only changes on a date named by some certificate, so it is evaluated once per interval
    between consecutive such dates; neighbouring intervals with the same certificates are merged."""
    dates = sorted(
        {
            c[f]
            for c in certs
            for f in (
                "issued_on",
                "expires_on",
                "revoked_on",
                "superseded_on",
                "extended_to",
            )
            if c[f] is not None
        }
    )
    found = []
    for start, end in itertools.pairwise(dates):
        in_force = tuple(c for c in certs if is_valid_on(c, start))
        if not in_force:
            continue
        if found and found[-1][1] == start and _facts(found[-1][2]) == _facts(in_force):
            found[-1] = (found[-1][0], end, found[-1][2])
        else:
            found.append((start, end, in_force))
    return found


def _card(in_force):
    return max(in_force, key=lambda c: (c["star"], c["issued_on"], c["pk"]))


def _facts(in_force):
    """What a row says about its certificates (two intervals with equal facts are one span)."""
    card = _card(in_force)
    return (
        frozenset(c["star"] for c in in_force),
        any(c["potential_5_star"] for c in in_force),
        max(c["issued_on"] for c in in_force),
        card["pk"],
    )


def _entries(product, certs, channels):
    for start, end, in_force in spans(certs):
        card = _card(in_force)
        stars = {c["star"] for c in in_force}
        yield CatalogEntry(
            product_id=product["pk"],
            valid_from=start,
            valid_until=end,
            name=product["name"],
            name_folded=product["name_folded"],
            product_set=product["product_set"],
            product_group=int(group_of(product["product_set"])),
            producer_id=product["producer_id"],
            producer_kind=product["producer__kind"],
            producer_name=product["producer__name"],
            legacy_commune_id=product["producer__legacy_commune_id"],
            legacy_province_id=product["producer__legacy_commune__province_id"],
            current_commune_id=product["producer__current_commune_id"],
            current_province_id=product["producer__current_commune__province_id"],
            star=max(stars),
            star_3=3 in stars,
            star_4=4 in stars,
            star_5=5 in stars,
            potential_5_star=any(c["potential_5_star"] for c in in_force),
            certified_on=max(c["issued_on"] for c in in_force),
            certificate_id=card["pk"],
            certificate_number=card["number"],
            certificate_potential_5_star=card["potential_5_star"],
            certificate_expires_on=card["expires_on"],
            **dict.fromkeys(channels.get(product["pk"], ()), True),
        )


def _public(products):
    return products.filter(status=ProductStatus.ACTIVE, producer__status=ProducerStatus.ACTIVE).values(
        "pk",
        "name",
        "name_folded",
        "product_set",
        "producer_id",
        "producer__kind",
        "producer__name",
        "producer__legacy_commune_id",
        "producer__legacy_commune__province_id",
        "producer__current_commune_id",
        "producer__current_commune__province_id",
    )


def _build(products):
    """The rows of `products` (a list of `_public` dicts), reading certificates and channels."""
    ids = [p["pk"] for p in products]
    certs = defaultdict(list)
    for c in Certificate.objects.filter(product_id__in=ids).order_by().values(*CERT_FIELDS):
        certs[c["product_id"]].append(c)
    channels = defaultdict(set)
    listed = (
        OnlineListing.objects.filter(product_id__in=ids)
        .exclude(check_result=ListingCheck.BROKEN)
        .order_by()
        .values_list("product_id", flat=True)
        .distinct()
    )
    for pk in listed:
        channels[pk].add("online")
    carried = (
        SalePoint.products.through.objects.filter(
            product_id__in=ids, salepoint__status=SalePointStatus.ACTIVE
        )
        .order_by()
        .values_list("product_id", "salepoint__kind")
        .distinct()
    )
    for pk, kind in carried:
        if kind in CHANNEL_FIELDS:
            channels[pk].add(CHANNEL_FIELDS[kind])
    return [e for p in products if certs.get(p["pk"]) for e in _entries(p, certs[p["pk"]], channels)]


def refresh_catalog_entries(product_ids):
    """Recompute the catalogue rows of these products (ids; unknown or hidden ones lose their rows)."""
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # Lock the products (PostgreSQL) so two concurrent refreshes of one product cannot
            # both insert its rows; the reads below then see the other's committed work.
            list(Product.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
            rows = _build(list(_public(Product.objects.filter(pk__in=chunk))))
            CatalogEntry.objects.filter(product_id__in=chunk).delete()
            CatalogEntry.objects.bulk_create(rows, batch_size=500)
    pagecache.bump(ids)
    forget_provinces(today())
    statscache.bump()


def rebuild_catalog(chunk=5000):
    """Rebuild every row from the source tables in one transaction (readers see the old rows until it
    commits). Idempotent; returns the number of rows."""
    total = 0
    with transaction.atomic():
        CatalogEntry.objects.all().delete()
        ids = list(_public(Product.objects.all()).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            rows = _build(list(_public(Product.objects.filter(pk__in=ids[start : start + chunk]))))
            CatalogEntry.objects.bulk_create(rows, batch_size=1000)
            total += len(rows)
        forget_provinces(today())
        statscache.bump()
    return total


def vacuum():
    """After a full rebuild every old row is dead: PostgreSQL reclaims them and refreshes the planner's
    statistics (only outside a transaction; elsewhere nothing to do)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CatalogEntry._meta.db_table}")


def drift():
    """Product ids whose rows differ from what a rebuild would write (for checks and tests)."""
    fields = [f.attname for f in CatalogEntry._meta.concrete_fields if f.attname != "id"]
    stored = defaultdict(set)
    for row in CatalogEntry.objects.values_list(*fields):
        stored[row[0]].add(row)
    wanted = defaultdict(set)
    for e in _build(list(_public(Product.objects.all()))):
        wanted[e.product_id].add(tuple(getattr(e, f) for f in fields))
    return sorted(pk for pk in stored.keys() | wanted.keys() if stored.get(pk) != wanted.get(pk))


def publisher(obj, product_ids):
    """The catalogue's publisher (`ocop.core.publication`, registered in `CatalogConfig.ready`): the
    rows of the products concerned, rewritten in the caller's transaction (their product pages' cache
    versions replaced once it commits). A photo or a traceability code is on the product page, not in
    the read model: only the page's version is replaced. A stamp batch is not in the catalogue."""
    if isinstance(obj, StampBatch) or not product_ids:
        return
    if isinstance(obj, ProductPhoto | TraceCode):
        pagecache.bump(product_ids)
        return
    refresh_catalog_entries(product_ids)
