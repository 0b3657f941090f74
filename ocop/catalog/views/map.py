"""The map of sale points, producers and tourism stops. The page lists everything server-side (it works
without JavaScript or map tiles); map.js draws the same data from map_data with vendored Leaflet."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ocop.core.dates import today
from ocop.core.params import ID_MAX, int_param
from ocop.geo.authority import address_of, address_related
from ocop.market.enums import SalePointKind
from ocop.market.queries import public_sale_points, published_routes
from ocop.registry.models import Producer
from ocop.registry.privacy import publicly_located

from ..search import certified_on, public_products


def _filters(request):
    kind = request.GET.get("kind", "")
    product = int_param(request.GET, "product", minimum=1, maximum=ID_MAX)
    return (kind if kind in SalePointKind.values else ""), product


def _points(kind, product_id):
    qs = public_sale_points().select_related(*address_related())
    if kind:
        qs = qs.filter(kind=kind)
    if product_id:
        qs = qs.filter(products=product_id)
    return qs.order_by("kind", "name")


def map_page(request):
    kind, product_id = _filters(request)
    product = public_products().filter(pk=product_id).first() if product_id else None
    routes = published_routes().prefetch_related("stops__sale_point")
    context = {
        "points": list(_points(kind, product.pk if product else None)),
        "kinds": SalePointKind.choices,
        "kind": kind,
        "product": product,
        "routes": routes,
        "data_url": f"{request.path}data.json?{request.GET.urlencode()}",
    }
    return render(request, "catalog/map.html", context)


def map_data(request):
    """Markers for map.js: sale points, producers with published coordinates, route lines."""
    kind, product_id = _filters(request)
    points = []
    for p in _points(kind, product_id):
        if p.has_location:
            points.append(
                {
                    "id": p.pk,
                    "name": p.name,
                    "kind": p.kind,
                    "kind_label": p.get_kind_display(),
                    "address": address_of(p).line,
                    "former_address": address_of(p).former,
                    "hours": p.opening_hours,
                    "lat": float(p.latitude),
                    "lng": float(p.longitude),
                }
            )
    producers = []
    if not product_id and not kind:
        day = today()
        ids = certified_on(day).values("producer")
        # Household businesses often work from home: their coordinates stay off the public map.
        for pr in publicly_located(Producer.objects.filter(pk__in=ids)):
            producers.append(
                {"id": pr.pk, "name": pr.name, "lat": float(pr.latitude), "lng": float(pr.longitude)}
            )
    routes = []
    for route in published_routes().prefetch_related("stops__sale_point"):
        line = [
            [float(s.sale_point.latitude), float(s.sale_point.longitude)]
            for s in route.stops.all()
            if s.sale_point.has_location
        ]
        routes.append({"name": route.name, "line": line})
    return JsonResponse(
        {
            "points": points,
            "producers": producers,
            "routes": routes,
            "labels": {"producer": _("OCOP producer"), "route": _("Tourism route"), "details": _("Details")},
        }
    )
