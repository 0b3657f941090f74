"""Whole-page cache for anonymous visitors of product pages.

With a shared cache (Redis when REDIS_URL is set: every gunicorn worker sees the same entries) the key
carries a version token per product, kept in the cache itself and replaced after every committed change
of the product, its producer, certificates, photos, listings or sale points (`bump`, called by
`readmodel.refresh_catalog_entries` and the catalogue's publisher for a new photo). The page is stored with the token it was
rendered under; a cached hit reads the token and the page together (one `get_many`, one round trip)
and no SQL. A page rendered under a token read before a change is never served after the bump.

With a process-local cache (LocMemCache: tests, `runserver`) another process's bump would not be seen,
so the key carries instead a fingerprint read in ONE query (below). Every key also carries the
release fingerprint (`ocop.core.release`: header settings, templates, translations, static manifest),
so a deploy never replays the previous release's headers or HTML. Either way the key also carries a fingerprint of everything the page shows that can change (the product, its producer,
its certificates, photos, listings and sale points), read in ONE query, plus the day (validity is a
matter of date) and the language. Any change through the domain functions moves an `updated_at` or a
count, so the next visitor gets a fresh page; entries also expire after CACHE_SECONDS, which bounds how
stale the "related products" column can get. The per-request CSRF token and CSP nonce are put back into
the cached HTML on the way out."""

import hashlib
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from ocop.certificates.models import Certificate
from ocop.core import release
from ocop.core.cache import PROCESS_LOCAL, shared  # noqa: F401 (pagecache.shared: the views and tests ask here)
from ocop.core.dates import today
from ocop.core.fastpath import CSRF_PLACEHOLDER, NONCE_PLACEHOLDER
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.enums import ProducerStatus, ProductStatus
from ocop.registry.models import Producer, Product, ProductPhoto

CACHE_SECONDS = 600


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


def version_key(pk):
    return f"catalog:product-version:{pk}"


def page_key(pk):
    return f"catalog:product-page:{pk}:{get_language()}:{today().isoformat()}:{release.fingerprint()}"


def lookup(pk):
    """(the product's version token, cached (name, html, headers) or None), in ONE cache round trip: the page is
    stored with the token it was rendered under and only served while that token is current."""
    vkey, pkey = version_key(pk), page_key(pk)
    found = cache.get_many([vkey, pkey])
    token = found.get(vkey)
    if token is None:  # first visit since the cache was emptied: start a version
        token = uuid.uuid4().hex
        if not cache.add(vkey, token, None):
            token = cache.get(vkey) or token
        return token, None
    page = found.get(pkey)
    if page is not None and page[0] == token and len(page) == 4:
        return token, page[1:]
    return token, None


def store(pk, token, name, html, headers=None):
    """Keep the page rendered under `token`, with the response headers to replay (fastpath.capture)."""
    cache.set(page_key(pk), (token, name, html, headers), CACHE_SECONDS)


def bump(product_ids):
    """New version tokens for these products once the current transaction commits (at once outside one)."""
    ids = list(product_ids)
    if ids and shared():
        transaction.on_commit(lambda: cache.set_many({version_key(pk): uuid.uuid4().hex for pk in ids}, None))


def key_for(pk, print_):
    return f"catalog:product:{pk}:{get_language()}:{today().isoformat()}:{release.fingerprint()}:{print_}"


def get(key):
    return cache.get(key)


def put(key, html):
    cache.set(key, html, CACHE_SECONDS)


def personalise(request, html):
    """Put this request's CSRF token and CSP nonce into cached HTML."""
    if CSRF_PLACEHOLDER in html:  # only then: asking for a token sets the CSRF cookie
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        nonce = getattr(request, "_csp_nonce", None)
        html = html.replace(NONCE_PLACEHOLDER, str(nonce) if nonce is not None else "")
    return html
