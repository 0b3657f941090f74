"""Whole-page cache for anonymous visitors of product pages.

The key carries a fingerprint of everything the page shows that can change (the product, its producer,
its certificates, photos, listings and sale points), read in ONE query, plus the day (validity is a
matter of date) and the language. Any change through the domain functions moves an `updated_at` or a
count, so the next visitor gets a fresh page; entries also expire after CACHE_SECONDS, which bounds how
stale the "related products" column can get. The per-request CSRF token and CSP nonce are put back into
the cached HTML on the way out."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.models import ProductPhoto

from .search import public_products

CACHE_SECONDS = 600
CSRF_PLACEHOLDER = "__OCOP_CSRF_TOKEN__"
NONCE_PLACEHOLDER = "__OCOP_CSP_NONCE__"


def _agg(model_qs, fn, name):
    return Subquery(model_qs.order_by().values(name).annotate(v=fn).values("v")[:1])


def fingerprint(pk):
    """(name, fingerprint string) of a public product, or None when the public may not see it."""
    certs = Certificate.objects.filter(product=OuterRef("pk"))
    listings = OnlineListing.objects.filter(product=OuterRef("pk"))
    photos = ProductPhoto.objects.filter(product=OuterRef("pk"))
    points = SalePoint.products.through.objects.filter(product=OuterRef("pk"))
    row = (
        public_products()
        .filter(Exists(Certificate.objects.filter(product=OuterRef("pk"))), pk=pk)
        .annotate(
            c_max=_agg(certs, Max("updated_at"), "product"),
            c_n=_agg(certs, Count("pk"), "product"),
            l_max=_agg(listings, Max("updated_at"), "product"),
            l_n=_agg(listings, Count("pk"), "product"),
            ph_n=_agg(photos, Max("pk"), "product"),
            sp_max=_agg(points, Max("salepoint__updated_at"), "product"),
            sp_n=Coalesce(_agg(points, Count("pk"), "product"), 0),
        )
        .values_list(
            "name",
            "updated_at",
            "producer__updated_at",
            "c_max",
            "c_n",
            "l_max",
            "l_n",
            "ph_n",
            "sp_max",
            "sp_n",
        )
        .first()
    )
    if row is None:
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
