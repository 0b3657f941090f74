"""Product and producer pages. The product page is cached whole for anonymous visitors (pagecache)."""

import json

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ocop.certificates.enums import CertificateStatus, RevocationGround
from ocop.certificates.models import Certificate
from ocop.certificates.status import IN_FORCE
from ocop.core import fastpath
from ocop.core.dates import today
from ocop.core.params import ID_MAX
from ocop.geo.authority import address_related
from ocop.geo.enums import commune_field as producer_commune_field
from ocop.market.enums import ListingCheck, SalePointStatus
from ocop.market.models import SalePoint
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer
from ocop.registry.privacy import public_producer

from .. import pagecache
from ..search import cards, certified_on, commune_field, in_force, public_products, with_cards, with_products
from ..slugs import slug_for


def product_url(product):
    return reverse("catalog:product", args=[product.pk, slug_for(product.name)])


def producer_url(producer):
    return reverse("catalog:producer", args=[producer.pk, slug_for(producer.name)])


def _json_ld(data):
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def qr_svg(url):
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, dark="#1d232b", title=None))


def _ground_label(value):
    return RevocationGround(value).label if value in RevocationGround.values else value


def product_context(product, day):
    certificates = list(product.certificates.all())
    current = next((c for c in sorted(certificates, key=lambda c: -c.star) if c.is_valid_on(day)), None)
    latest = max(certificates, key=lambda c: c.issued_on) if certificates else None
    shown = current or latest
    status = shown.status_on(day) if shown else None
    sale_points = list(
        product.sale_points.filter(status=SalePointStatus.ACTIVE)
        .select_related(*address_related())
        .order_by("kind", "name")
    )
    listings = [x for x in product.online_listings.all() if x.check_result != ListingCheck.BROKEN]
    related = cards(
        with_products(
            in_force(day)
            .filter(product_set=product.product_set)
            .exclude(product_id=product.pk)
            .order_by("name_folded", "product_id")
        )[:4]
    )
    url = settings.SITE_URL + product_url(product)
    photos = list(product.photos.all())
    commune = getattr(product.producer, producer_commune_field(day))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": url,
        "description": product.description or product.story,
        "category": product.get_product_set_display(),
        "brand": {"@type": "Brand", "name": product.producer.name},
        "manufacturer": {"@type": "Organization", "name": product.producer.name},
    }
    if product.gtin:
        data["gtin"] = product.gtin
    if photos:
        data["image"] = [settings.SITE_URL + p.image.url for p in photos]
    if current:
        data["award"] = f"OCOP {current.star}★ ({current.number}, {current.valid_until.isoformat()})"
    return {
        "product": product,
        "producer": product.producer,
        "public": public_producer(product.producer),
        "commune": commune,
        "certificate": shown,
        "current": current,
        "status": status,
        "status_ok": status in IN_FORCE,
        "status_expiring": status == CertificateStatus.EXPIRING,
        "history": sorted(certificates, key=lambda c: c.issued_on, reverse=True),
        "revocation_ground": _ground_label(shown.revocation_ground) if shown and shown.revoked_on else "",
        "sale_points": sale_points,
        "listings": listings,
        "related": related,
        "photos": photos,
        "canonical": url,
        "qr": qr_svg(url),
        "json_ld": _json_ld(data),
        "day": day,
    }


def _load_product(pk, day):
    prefix = commune_field(day)
    return get_object_or_404(
        public_products()
        .select_related("producer", f"{prefix}", f"{prefix}__province", *address_related("producer__"))
        .prefetch_related("online_listings", "certificates", "trace_codes"),
        pk=pk,
    )


def _cacheable(request):
    return not request.GET and "messages" not in request.COOKIES and not request.user.is_authenticated


def _render_cached(request, html):
    response = HttpResponse(pagecache.personalise(request, html))
    response["Content-Language"] = get_language()
    # The page differs for a signed-in visitor: say so whether or not this request read the session.
    patch_vary_headers(response, ("Cookie",))
    return response


def _store(pk, token, name, html):
    """How to cache the page, given the headers to replay (`fastpath.capture`)."""
    return lambda headers: pagecache.store(pk, token, name, html, headers)


def fast(request, pk, slug):
    """The fast path's answer for a product page (ocop/core/fastpath.py): the cached page, with the
    headers Django's middlewares gave it, in one cache round trip and no SQL; None to let Django answer
    (no shared cache, not cached yet, a slug to redirect)."""
    if not pagecache.shared():
        return None
    _token, hit = pagecache.lookup(int(pk))
    if hit is None:
        return None
    name, html, headers = hit
    replay = fastpath.replayable(request, headers, html) if slug == slug_for(name) else None
    return fastpath.answer(replay, html) if replay is not None else None


def _versioned_product_detail(request, pk, slug, day):
    """Shared cache: a hit is one cache round trip (version token and page) and no SQL."""
    cacheable = _cacheable(request)
    token, hit = pagecache.lookup(pk) if cacheable else (None, None)
    if hit is not None:
        name, html, stored = hit
        if slug != slug_for(name):
            return HttpResponsePermanentRedirect(reverse("catalog:product", args=[pk, slug_for(name)]))
        return fastpath.store_again_unless_replayable(
            request, _render_cached(request, html), stored, html, _store(pk, token, name, html)
        )
    product = _load_product(pk, day)
    if not product.certificates.all():  # never certified: not a public page
        raise Http404
    if slug != slug_for(product.name):
        return HttpResponsePermanentRedirect(reverse("catalog:product", args=[pk, slug_for(product.name)]))
    context = product_context(product, day)
    if not cacheable:
        return render(request, "catalog/product.html", context)
    context.update(csrf_token=pagecache.CSRF_PLACEHOLDER, csp_nonce=pagecache.NONCE_PLACEHOLDER)
    html = render_to_string("catalog/product.html", context, request=request)
    # Stored once the middlewares have added their headers (for the fast path to replay).
    return fastpath.defer_store(request, _render_cached(request, html), _store(pk, token, product.name, html))


def product_detail(request, pk, slug=None):
    if pk > ID_MAX:  # no such id; the database could not even compare it (OverflowError on SQLite)
        raise Http404
    day = today()
    if pagecache.shared():
        return _versioned_product_detail(request, pk, slug, day)
    found = pagecache.fingerprint(pk)
    if found is None:
        raise Http404
    name, print_ = found
    if slug != slug_for(name):
        return HttpResponsePermanentRedirect(reverse("catalog:product", args=[pk, slug_for(name)]))
    cacheable = _cacheable(request)
    key = pagecache.key_for(pk, print_)
    html = pagecache.get(key) if cacheable else None
    if html is None:
        context = product_context(_load_product(pk, day), day)
        if cacheable:
            context.update(csrf_token=pagecache.CSRF_PLACEHOLDER, csp_nonce=pagecache.NONCE_PLACEHOLDER)
            html = render_to_string("catalog/product.html", context, request=request)
            pagecache.put(key, html)
        else:
            return render(request, "catalog/product.html", context)
    return _render_cached(request, html)


def producer_detail(request, pk, slug=None):
    day = today()
    prefix = producer_commune_field(day)
    producer = get_object_or_404(
        Producer.objects.filter(status=ProducerStatus.ACTIVE).select_related(
            prefix, f"{prefix}__province", "legacy_commune__district", "legacy_commune__province"
        ),
        pk=pk,
    )
    if slug != slug_for(producer.name):
        return HttpResponsePermanentRedirect(producer_url(producer))
    products = list(with_cards(certified_on(day).filter(producer=producer).order_by("name_folded"), day))
    history = (
        Certificate.objects.filter(product__producer=producer, product__in=public_products())
        .select_related("product")
        .order_by("-issued_on", "number")
    )
    if not products and not history.exists():
        raise Http404
    points = SalePoint.objects.filter(operator=producer, status=SalePointStatus.ACTIVE)
    context = {
        "producer": producer,
        "public": public_producer(producer),
        "commune": getattr(producer, prefix),
        "products": products,
        "history": [(c, c.status_on(day)) for c in history],
        "sale_points": points,
        "canonical": settings.SITE_URL + producer_url(producer),
        "day": day,
    }
    return render(request, "catalog/producer.html", context)
