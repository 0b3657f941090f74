from django.db.models import Count
from django.shortcuts import render

from ocop.core.dates import today
from ocop.market.models import Fair
from ocop.registry.enums import ProductGroup, group_of

from ..search import certified_on, valid_certificates, with_cards


def home_context(day):
    products = certified_on(day)
    certs = valid_certificates(day).filter(product__in=products)
    by_star = {str(s): 0 for s in (3, 4, 5)}
    for row in certs.values("star").annotate(n=Count("product", distinct=True)):
        by_star[str(row["star"])] = row["n"]
    by_group = dict.fromkeys(ProductGroup.values, 0)
    for row in products.values("product_set").annotate(n=Count("pk")):
        by_group[int(group_of(row["product_set"]))] += row["n"]
    featured = with_cards(
        products.filter(certificates__in=certs.filter(potential_5_star=True)).distinct(), day
    )
    newest = with_cards(products.order_by("-certificates__issued_on", "pk").distinct(), day)
    return {
        "day": day,
        "total": sum(by_group.values()),
        "by_star": by_star,
        "potential": certs.filter(potential_5_star=True).values("product").distinct().count(),
        "groups": [(g, ProductGroup(g).label, n) for g, n in by_group.items() if n],
        "featured": list(featured.order_by("name_folded")[:8]),
        "newest": list(newest[:8]),
        "fairs": list(Fair.objects.filter(ends_on__gte=day).order_by("starts_on")[:3]),
    }


def home(request):
    return render(request, "catalog/home.html", home_context(today()))
