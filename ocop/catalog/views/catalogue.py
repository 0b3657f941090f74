"""The catalogue: search and filters in the URL, results replaced in place by htmx, plain GET without JS."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.core.dates import today
from ocop.geo.enums import Level, map_for
from ocop.geo.models import AdminUnit
from ocop.geo.queries import communes_of
from ocop.registry.enums import ProducerKind, ProductGroup, ProductSet

from ..search import (
    CHANNELS,
    SORTS,
    fuzzy_fallback,
    paginate,
    parse_filters,
    provinces_with_products,
    search,
    with_products,
)

FILTER_NAMES = {
    "star": gettext_lazy("stars"),
    "group": gettext_lazy("product group"),
    "product_set": gettext_lazy("product set"),
    "province": gettext_lazy("province"),
    "commune": gettext_lazy("commune"),
    "kind": gettext_lazy("producer type"),
    "channel": gettext_lazy("where to buy"),
    "sort": gettext_lazy("sort order"),
}


def _communes(province_code, day):
    """Communes of the chosen province on the map in force, for picking a commune by name."""

    if not province_code:
        return []
    province = AdminUnit.objects.filter(
        map=map_for(day), level=Level.PROVINCE, code=province_code.zfill(2)
    ).first()
    return list(communes_of(province, day).order_by("name_folded")) if province else []


def catalogue(request):
    day = today()
    f = parse_filters(request.GET)
    page = paginate(with_products(search(f, day)), request.GET.get("page"))
    fuzzy_used = False
    if not page.paginator.count and (similar := fuzzy_fallback(f, day)) is not None:
        page, fuzzy_used = paginate(with_products(similar), request.GET.get("page")), True
    context = {
        "f": f,
        "page": page,
        "fuzzy": fuzzy_used,
        "bad_filters": [str(FILTER_NAMES[name]) for name in f.errors],
        "sorts": SORTS.items(),
        "channels": CHANNELS.items(),
        "groups": ProductGroup.choices,
        "product_sets": ProductSet.choices,
        "kinds": ProducerKind.choices,
        "day": day,
        "communes": _communes(f.province, day),
    }
    if request.htmx:
        return render(request, "catalog/catalogue.html#results", context)
    context["provinces"] = provinces_with_products(day)
    if f.errors:
        messages.warning(
            request,
            _("Some filters were not understood and were ignored: %(names)s.")
            % {"names": ", ".join(context["bad_filters"])},
        )
    return render(request, "catalog/catalogue.html", context)
