"""The public catalogue's read model: certified products as of a day, search, filters and sorting.

Search folds the query like the stored `name_folded` column (no diacritics, đ → d, lower case) and
asks that every word appear in the name, in any order. On PostgreSQL the column has a trigram GIN
index (registry migration 0002), which serves the substring tests and, when nothing matches exactly,
a typo-tolerant fallback on word similarity."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from ocop.certificates.models import Certificate
from ocop.core.text import fold, search_words
from ocop.geo.enums import Level, MapVersion, map_for
from ocop.market.enums import ListingCheck, SalePointStatus
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.enums import ProducerKind, ProducerStatus, ProductGroup, ProductSet, ProductStatus
from ocop.registry.models import Product

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
    """Public products with a certificate in force on `day`."""
    qs = public_products() if qs is None else qs
    return qs.filter(Exists(valid_certificates(day).filter(product=OuterRef("pk"))))


def commune_field(day):
    return "producer__legacy_commune" if map_for(day) == MapVersion.LEGACY else "producer__current_commune"


def apply_words(qs, query):
    for word in search_words(query):
        qs = qs.filter(name_folded__contains=word)
    return qs


def fuzzy(qs, query):
    """PostgreSQL only: names containing a word close to each query word (typos, missing letters)."""
    words = search_words(query)
    score_sql, params = [], []
    for word in words:
        qs = qs.extra(where=["%s <%% registry_product.name_folded"], params=[word])
        score_sql.append("word_similarity(%s, registry_product.name_folded)")
        params.append(word)
    # Only placeholders are joined; the words travel as parameters.
    similarity = RawSQL(" + ".join(score_sql), params)  # noqa: S611
    return qs.annotate(similarity=similarity).order_by("-similarity", "name")


def filter_products(f, day, qs=None):
    """The catalogue's queryset for `f` on `day` (unordered, not yet paged)."""
    qs = certified_on(day, qs)
    certs = valid_certificates(day).filter(product=OuterRef("pk"))
    if f.star == "potential":
        qs = qs.filter(Exists(certs.filter(potential_5_star=True)))
    elif f.star:
        qs = qs.filter(Exists(certs.filter(star=int(f.star))))
    if f.product_set:
        qs = qs.filter(product_set=int(f.product_set))
    elif f.group:
        sets = [s for s in ProductSet.values if _group(s) == int(f.group)]
        qs = qs.filter(product_set__in=sets)
    unit = commune_field(day)
    if f.commune:
        qs = qs.filter(**{f"{unit}__code": f.commune.zfill(5)})
    elif f.province:
        qs = qs.filter(**{f"{unit}__province__code": f.province.zfill(2)})
    if f.kind:
        qs = qs.filter(producer__kind=f.kind)
    if f.channel == "online":
        listings = OnlineListing.objects.filter(product=OuterRef("pk")).exclude(
            check_result=ListingCheck.BROKEN
        )
        qs = qs.filter(Exists(listings))
    elif f.channel:
        points = SalePoint.objects.filter(
            products=OuterRef("pk"), kind=f.channel, status=SalePointStatus.ACTIVE
        )
        qs = qs.filter(Exists(points))
    return qs


def _group(product_set):
    from ocop.registry.enums import group_of

    return int(group_of(product_set))


def order(qs, f, day):
    sort = f.sort or ("relevance" if f.q else "newest")
    if sort == "name":
        return qs.order_by("name_folded", "pk")
    if sort == "star":
        star = Subquery(
            valid_certificates(day).filter(product=OuterRef("pk")).order_by("-star").values("star")[:1]
        )
        return qs.annotate(current_star=star).order_by("-current_star", "name_folded", "pk")
    if sort == "relevance" and f.q:
        whole = " ".join(search_words(f.q))
        rank = Case(
            When(name_folded=whole, then=Value(0)),
            When(name_folded__startswith=whole, then=Value(1)),
            When(name_folded__contains=whole, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return qs.annotate(rank=rank, name_length=Length("name_folded")).order_by("rank", "name_length", "pk")
    latest = Subquery(
        valid_certificates(day).filter(product=OuterRef("pk")).order_by("-issued_on").values("issued_on")[:1]
    )
    return qs.annotate(certified=latest).order_by("-certified", "pk")


def search(f, day):
    """The ordered queryset: every folded word of `q` in the name, plus the filters."""
    return order(apply_words(filter_products(f, day), f.q), f, day)


def fuzzy_fallback(f, day):
    """When `search` finds nothing: names with words close to the query's (PostgreSQL only, else None)."""
    if not f.q or connection.vendor != "postgresql":
        return None
    return fuzzy(filter_products(f, day), f.q)


def with_cards(qs, day):
    """What a product card needs, in a fixed number of queries whatever the page size."""
    prefix = commune_field(day)
    return qs.select_related("producer", prefix, f"{prefix}__province").prefetch_related(
        Prefetch("certificates", queryset=valid_certificates(day).order_by("-star"), to_attr="valid_certs"),
        "photos",
    )


def current_certificate(product):
    certs = getattr(product, "valid_certs", None)
    return certs[0] if certs else None


def provinces_with_products(day):
    """Provinces (on the map in force on `day`) that have certified products, for the filter list."""
    from ocop.geo.models import AdminUnit

    field_name = (
        "producer__legacy_commune__province"
        if map_for(day) == MapVersion.LEGACY
        else "producer__current_commune__province"
    )
    ids = certified_on(day).values_list(field_name, flat=True).distinct()
    return AdminUnit.objects.filter(pk__in=ids, level=Level.PROVINCE).order_by("name_folded")


__all__ = ["SORTS", "fold"]
