"""Whole-page cache for anonymous visitors of product pages.

The key carries a fingerprint of everything the page shows that can change (the product, its producer,
its certificates, photos, listings and sale points), read in ONE query, plus the day (validity is a
matter of date) and the language. Any change through the domain functions moves an `updated_at` or a
count, so the next visitor gets a fresh page; entries also expire after CACHE_SECONDS, which bounds how
stale the "related products" column can get. The per-request CSRF token and CSP nonce are put back into
the cached HTML on the way out."""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.enums import ProducerStatus, ProductStatus
from ocop.registry.models import ProductPhoto

CACHE_SECONDS = 600
CSRF_PLACEHOLDER = "__OCOP_CSRF_TOKEN__"
NONCE_PLACEHOLDER = "__OCOP_CSP_NONCE__"


FINGERPRINT_SQL = """
SELECT p.name, p.updated_at, pr.updated_at,
  (SELECT MAX(c.updated_at) FROM {cert} c WHERE c.product_id = p.id),
  (SELECT COUNT(*) FROM {cert} c WHERE c.product_id = p.id),
  (SELECT MAX(l.updated_at) FROM {listing} l WHERE l.product_id = p.id),
  (SELECT COUNT(*) FROM {listing} l WHERE l.product_id = p.id),
  (SELECT MAX(ph.id) FROM {photo} ph WHERE ph.product_id = p.id),
  (SELECT MAX(sp.updated_at) FROM {through} t JOIN {salepoint} sp ON sp.id = t.salepoint_id WHERE t.product_id = p.id),
  (SELECT COUNT(*) FROM {through} t WHERE t.product_id = p.id)
FROM {product} p JOIN {producer} pr ON pr.id = p.producer_id
WHERE p.id = %s AND p.status = %s AND pr.status = %s
"""


def _sql():
    from ocop.registry.models import Producer, Product

    tables = {
        "cert": Certificate._meta.db_table,
        "listing": OnlineListing._meta.db_table,
        "photo": ProductPhoto._meta.db_table,
        "through": SalePoint.products.through._meta.db_table,
        "salepoint": SalePoint._meta.db_table,
        "product": Product._meta.db_table,
        "producer": Producer._meta.db_table,
    }
    return FINGERPRINT_SQL.format(**tables)


def fingerprint(pk):
    """(name, fingerprint string) of a public, certified product, or None when the public may not see it.

    One plain SQL statement: this runs on every page view, cached or not, so it skips the ORM's
    query building."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [pk, ProductStatus.ACTIVE, ProducerStatus.ACTIVE])
        row = cursor.fetchone()
    if row is None or not row[4]:  # unknown, hidden, or never certified
        return None
    return row[0], hashlib.blake2b(repr(row).encode(), digest_size=12).hexdigest()


def key_for(pk, print_):
    return f"catalog:product:{pk}:{get_language()}:{today().isoformat()}:{print_}"


def get(key):
    return cache.get(key)


def put(key, html):
    cache.set(key, html, CACHE_SECONDS)


def personalise(request, html):
    """Put this request's CSRF token and CSP nonce into cached HTML."""
    nonce = getattr(request, "_csp_nonce", None)
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html.replace(NONCE_PLACEHOLDER, str(nonce) if nonce is not None else "")
