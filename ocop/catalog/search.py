"""The public catalogue: certified products as of a day, search, filters and sorting.

Searches read the read model `CatalogEntry` (models.py, kept in step by readmodel.py): one table,
"certified on day D" is the range filter `valid_from <= D < valid_until`, and every filter and sort
key is a column of it. Search folds the query like the stored `name_folded` column (no diacritics,
đ → d, lower case) and asks that every word appear in the name, in any order. On PostgreSQL the
column has a trigram GIN index (catalog migration 0002), which serves the substring tests and, when
nothing matches exactly, a typo-tolerant fallback on word similarity.

The older queryset helpers on products (`certified_on`, `with_cards`, ...) remain for the home,
producer, map and sitemap pages, which ask other questions."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ocop.certificates.models import Certificate
from ocop.core.params import page_param
from ocop.core.release import fingerprint
from ocop.core.text import fold, search_words
from ocop.geo.enums import Level, map_for
from ocop.geo.enums import commune_field as producer_commune_field
from ocop.geo.models import AdminUnit
from ocop.registry.enums import ProducerKind, ProducerStatus, ProductGroup, ProductSet, ProductStatus
from ocop.registry.models import Producer, Product, ProductPhoto

from .models import CatalogEntry

PAGE_SIZE = 24
STARS = ("3", "4", "5")
SORTS = {
    "relevance": _("Relevance"),
    "name": _("Name"),
    "star": _("Stars"),
    "newest": _("Newest certified"),
}
CHANNELS = {
    "ocop_point": _("OCOP sale points"),
    "supermarket": _("Supermarkets"),
    "shop": _("Shops"),
    "tourism_site": _("Tourist sites"),
    "online": _("Online shops"),
}


@dataclass
class Filters:
    q: str = ""
    star: str = ""
    group: str = ""
    product_set: str = ""
    province: str = ""
    commune: str = ""
    kind: str = ""
    channel: str = ""
    sort: str = ""
    errors: list = field(default_factory=list)

    @property
    def active(self):
        return any(
            (
                self.q,
                self.star,
                self.group,
                self.product_set,
                self.province,
                self.commune,
                self.kind,
                self.channel,
            )
        )


def parse_filters(params):
    """Read filters from a query dict; unknown values are dropped with a message, never an error page."""
    f = Filters(q=(params.get("q") or "").strip()[:200])
    checks = {
        "star": (*STARS, "potential"),
        "group": tuple(str(v) for v in ProductGroup.values),
        "product_set": tuple(str(v) for v in ProductSet.values),
        "kind": tuple(ProducerKind.values),
        "channel": tuple(CHANNELS),
        "sort": tuple(SORTS),
    }
    for name, allowed in checks.items():
        value = (params.get(name) or "").strip()
        if value and value not in allowed:
            f.errors.append(name)
            value = ""
        setattr(f, name, value)
    for name in ("province", "commune"):
        value = (params.get(name) or "").strip()
        if value and not value.isdigit():
            f.errors.append(name)
            value = ""
        setattr(f, name, value)
    return f


def valid_certificates(day):
    return Certificate.objects.valid_on(day)


def public_products():
    """Products the public may see: active, of an active producer."""
    return Product.objects.filter(status=ProductStatus.ACTIVE, producer__status=ProducerStatus.ACTIVE)


def certified_on(day, qs=None):
    """Public products with a certificate in force on `day` (products; searches use `in_force`)."""
    qs = public_products() if qs is None else qs
    return qs.filter(Exists(valid_certificates(day).filter(product=OuterRef("pk"))))


def in_force(day):
    """Read-model rows of the public products certified on `day`: at most one per product."""
    return CatalogEntry.objects.filter(valid_from__lte=day, valid_until__gt=day)


def map_prefix(day):
    """The map's name ("legacy", "current"): the read model's `<map>_commune`, `<map>_province` on `day`."""
    return map_for(day).value


def commune_field(day):
    """The producer's commune on `day`'s map, from a product (`ocop.geo.enums.commune_field`)."""
    return f"producer__{producer_commune_field(day)}"


def apply_words(qs, query):
    for word in search_words(query):
        qs = qs.filter(name_folded__contains=word)
    return qs


def fuzzy(qs, query):
    """PostgreSQL only, on read-model rows: names containing a word close to each query word (typos,
    missing letters)."""
    words = search_words(query)
    score_sql, params = [], []
    for word in words:
        qs = qs.extra(where=["%s <%% catalog_catalogentry.name_folded"], params=[word])
        score_sql.append("word_similarity(%s, catalog_catalogentry.name_folded)")
        params.append(word)
    # Only placeholders are joined; the words travel as parameters.
    similarity = RawSQL(" + ".join(score_sql), params)  # noqa: S611
    return qs.annotate(similarity=similarity).order_by("-similarity", "name")


def filter_products(f, day):
    """The catalogue's rows for `f` on `day` (unordered, not yet paged)."""
    qs = in_force(day)
    if f.star == "potential":
        qs = qs.filter(potential_5_star=True)
    elif f.star:
        qs = qs.filter(**{f"star_{int(f.star)}": True})
    if f.product_set:
        qs = qs.filter(product_set=int(f.product_set))
    elif f.group:
        qs = qs.filter(product_group=int(f.group))
    prefix = map_prefix(day)
    if f.commune:
        qs = qs.filter(**{f"{prefix}_commune__code": f.commune.zfill(5)})
    elif f.province:
        qs = qs.filter(**{f"{prefix}_province__code": f.province.zfill(2)})
    if f.kind:
        qs = qs.filter(producer_kind=f.kind)
    if f.channel == "online":
        qs = qs.filter(online=True)
    elif f.channel:
        qs = qs.filter(**{f"in_{f.channel}": True})
    return qs


def order(qs, f, day):
    sort = f.sort or ("relevance" if f.q else "newest")
    if sort == "name":
        return qs.order_by("name_folded", "product_id")
    if sort == "star":
        return qs.order_by("-star", "name_folded", "product_id")
    if sort == "relevance" and f.q:
        whole = " ".join(search_words(f.q))
        rank = Case(
            When(name_folded=whole, then=Value(0)),
            When(name_folded__startswith=whole, then=Value(1)),
            When(name_folded__contains=whole, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return qs.annotate(rank=rank, name_length=Length("name_folded")).order_by(
            "rank", "name_length", "product_id"
        )
    return qs.order_by("-certified_on", "product_id")


def search(f, day):
    """The ordered rows: every folded word of `q` in the name, plus the filters. Each row has the
    product's `name`; `cards` turns a page of rows into products for the templates."""
    return order(apply_words(filter_products(f, day), f.q), f, day)


def fuzzy_fallback(f, day):
    """When `search` finds nothing: names with words close to the query's (PostgreSQL only, else None).
    A query with no word in it (punctuation only, a NUL character) has nothing to be close to."""
    if not search_words(f.q) or connection.vendor != "postgresql":
        return None
    return fuzzy(filter_products(f, day), f.q)


def with_products(entries):
    """Rows for cards. The producer's commune today (and its province) is NOT joined here: the page's
    query counts every match (a window count), so a join would be made for every match, not only the
    24 shown; above a hundred or so matches PostgreSQL then hashes the whole unit table (14,000 rows
    of both maps) on every search (8–16 ms of a 4 ms query). `cards` reads the communes of the page's
    rows afterwards, in one query by primary key."""
    return entries


def with_communes(entries):
    """Set `current_commune` (with its province) on read-model rows: one query for the whole page."""
    wanted = [e for e in entries if not CatalogEntry.current_commune.is_cached(e)]
    ids = {e.current_commune_id for e in wanted if e.current_commune_id is not None}
    units = AdminUnit.objects.select_related("province").in_bulk(ids) if ids else {}
    for entry in wanted:
        entry.current_commune = units.get(entry.current_commune_id)
    return entries


def card_certificate(entry):
    """The certificate a card shows, built from the row (no query; enough for cards and the API)."""
    return Certificate(
        pk=entry.certificate_id,
        product_id=entry.product_id,
        number=entry.certificate_number,
        star=entry.star,
        potential_5_star=entry.certificate_potential_5_star,
        expires_on=entry.certificate_expires_on,
    )


def card_product(entry):
    """A product for the card templates, built from the row: no query for the product, its producer
    or its commune (the row holds their public fields)."""
    producer = Producer(
        pk=entry.producer_id,
        name=entry.producer_name,
        kind=entry.producer_kind,
        current_commune=entry.current_commune,
    )
    product = Product(pk=entry.product_id, name=entry.name, product_set=entry.product_set, producer=producer)
    product.valid_certs = [card_certificate(entry)]
    return product


def cards(entries):
    """Products for a page of rows (from `with_products`), each with `valid_certs`, its photos and its
    rendered card (`card_html`, see `with_card_html`)."""
    products = [card_product(entry) for entry in with_communes(list(entries))]
    prefetch_related_objects(products, "photos")
    return with_card_html(products)


CARD_SECONDS = 86400
CARD_TEMPLATE = "catalog/_card.html"


def card_key(product, language):
    """The cache key of a product card: a digest of everything the card shows (the read model's row:
    name, producer, commune and province names, the certificate's star, flag and end; the first photo),
    the language and the release (`ocop.core.release`: templates, translations, settings). A change
    published to the read model (or a new photo) gives a new key, so a stale card is never served;
    old keys expire after CARD_SECONDS."""
    photos = product.photos.all()
    photo = photos[0] if photos else None
    producer = product.producer
    commune = producer.current_commune
    cert = product.valid_certs[0] if product.valid_certs else None
    return _card_key(
        language,
        product.pk,
        product.name,
        producer.name,
        (commune.name, commune.province.name if commune.province_id else "") if commune else None,
        (cert.star, cert.potential_5_star, cert.expires_on) if cert else None,
        (photo.pk, photo.image.name) if photo is not None else None,
    )


def _card_key(language, *shown):
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()
    return f"catalog:card:{language}:{fingerprint()}:{digest}"


def entry_card_key(entry, commune, photo, language):
    """`card_key` from a read-model row, its commune's and province's names (or None) and its first
    photo's (id, file name) (or None): the same key, without building the product."""
    return _card_key(
        language,
        entry.product_id,
        entry.name,
        entry.producer_name,
        commune,
        (entry.star, entry.certificate_potential_5_star, entry.certificate_expires_on)
        if entry.certificate_id is not None
        else None,
        photo,
    )


class Card:
    """A card of a page of results: what the catalogue's template shows (`card_html`)."""

    __slots__ = ("card_html", "name", "pk")

    def __init__(self, pk, name, card_html):
        self.pk, self.name, self.card_html = pk, name, card_html


def page_cards(entries):
    """The cards of a page of read-model rows. What a card's key needs is read without building any
    model (the rows; the first photos and the communes' names as plain values, one query each), then
    the cards are read from the shared cache in one round trip; only the cards not cached yet are built
    and rendered (`cards`). A page of cached cards thus costs three small queries besides its own."""
    entries = list(entries)
    if not entries:
        return []
    photos = {}
    for product_id, pk, image in (
        ProductPhoto.objects.filter(product_id__in=[e.product_id for e in entries])
        .order_by("product_id", "position", "id")
        .values_list("product_id", "pk", "image")
    ):
        photos.setdefault(product_id, (pk, image))
    unit_ids = {e.current_commune_id for e in entries if e.current_commune_id is not None}
    communes = {
        pk: (name, province or "")
        for pk, name, province in AdminUnit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "name", "province__name"
        )
    }
    language = get_language()
    keys = [
        entry_card_key(e, communes.get(e.current_commune_id), photos.get(e.product_id), language)
        for e in entries
    ]
    found = cache.get_many(keys)
    missing = [e for e, key in zip(entries, keys, strict=True) if key not in found]
    if missing:
        for key, product in zip((k for k in keys if k not in found), cards(missing), strict=True):
            found[key] = product.card_html
    return [Card(e.product_id, e.name, mark_safe(found[key])) for e, key in zip(entries, keys, strict=True)]


def with_card_html(products):
    """Set `card_html` on products built by `card_product` (with their photos prefetched): the rendered
    card from the shared cache, or rendered now and stored. One cache round trip for the page's hits,
    one more to store the misses."""
    language = get_language()
    keyed = [(card_key(p, language), p) for p in products]
    found = cache.get_many([key for key, _p in keyed])
    missing = {}
    template = None
    for key, product in keyed:
        html = found.get(key)
        if html is None:
            template = template or get_template(CARD_TEMPLATE)
            html = missing[key] = template.render({"p": product})
        product.card_html = mark_safe(html)  # our own template's output, escaped when rendered
    if missing:
        cache.set_many(missing, CARD_SECONDS)
    return products


def paginate(entries, number):
    """The page `number` of rows (from `with_products`) as a Paginator page of cards, like
    `Paginator(entries, PAGE_SIZE).get_page(number)`, but with the total counted in the same query
    (a window count) whenever the page exists, so the rows are scanned once."""
    paginator = Paginator(entries, PAGE_SIZE)
    number = page_param(number)
    try:
        n = int(number)
    except (TypeError, ValueError):
        n = 1
    if n >= 1:
        start = (n - 1) * PAGE_SIZE
        rows = list(entries.annotate(total=Window(Count("pk")))[start : start + PAGE_SIZE])
        if rows or n == 1:
            paginator.count = rows[0].total if rows else 0
            page = paginator.page(n)
            page.object_list = page_cards(rows)
            return page
    page = paginator.get_page(number)  # out of range: the last page, as get_page answers
    page.object_list = page_cards(page.object_list)
    return page


def with_cards(qs, day):
    """What a product card needs for a queryset of products, in a fixed number of queries."""
    prefix = commune_field(day)
    return qs.select_related("producer", prefix, f"{prefix}__province").prefetch_related(
        Prefetch("certificates", queryset=valid_certificates(day).order_by("-star"), to_attr="valid_certs"),
        "photos",
    )


def current_certificate(product):
    certs = getattr(product, "valid_certs", None)
    return certs[0] if certs else None


PROVINCES_SECONDS = 600


def _provinces_key(day):
    return f"catalog:provinces:{day.isoformat()}"


def provinces_with_products(day):
    """Provinces (on the map in force on `day`) that have certified products, for the filter list.

    Cached (a DISTINCT over every certified product costs 10–15 ms at national scale, more than the
    rest of the page); `forget_provinces` drops it when the read model changes, and it lives at most
    PROVINCES_SECONDS."""

    def read():
        ids = in_force(day).order_by().values_list(f"{map_prefix(day)}_province", flat=True).distinct()
        return list(AdminUnit.objects.filter(pk__in=ids, level=Level.PROVINCE).order_by("name_folded"))

    return cache.get_or_set(_provinces_key(day), read, PROVINCES_SECONDS)


def forget_provinces(day):
    """Drop the cached province list now and again once the current transaction commits (a request
    between the two could cache the state before the commit)."""
    key = _provinces_key(day)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


__all__ = ["SORTS", "fold"]
