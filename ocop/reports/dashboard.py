"""What the office and public dashboards show: KPI cards that click through to their lists, charts
data, communes, plan progress; and the filters of the lists behind the figures."""

import datetime

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ocop.certificates.enums import CertificateStatus
from ocop.core.formats import format_percent
from ocop.core.params import SMALLINT_MAX, int_param
from ocop.registry.enums import ProducerKind, ProductGroup, group_of

from . import kpis
from .report import kind_nouns, map_note


def _list_url(scope, public=False, **filters):
    params = {**scope.query_params(), **{k: v for k, v in filters.items() if v not in (None, "")}}
    return reverse("reports:products" if public else "backoffice:reports_products") + "?" + urlencode(params)


def dashboard_context(scope, *, public=False):
    figures = kpis.compute(scope)
    communes = kpis.commune_table(scope) if scope.unit is not None else []

    def link(**f):
        return _list_url(scope, public, **f)

    kpi_cards = [
        {"key": "products", "value": figures["products"], "label": _("Certified products"), "url": link()},
        {"key": "star3", "value": figures["by_star"]["3"], "label": _("3★ products"), "url": link(star=3)},
        {"key": "star4", "value": figures["by_star"]["4"], "label": _("4★ products"), "url": link(star=4)},
        {"key": "star5", "value": figures["by_star"]["5"], "label": _("5★ products"), "url": link(star=5)},
        {
            "key": "potential",
            "value": figures["potential_5_star"],
            "label": _("Potential 5★"),
            "url": link(potential=1),
        },
        {
            "key": "producers",
            "value": figures["producers"],
            "label": _("Producers"),
            "url": link(view="producers"),
        },
        {
            "key": "communes",
            "value": f"{figures['communes_with_products']}/{figures['communes_total']}",
            "label": _("Communes with products (%(percent)s)")
            % {"percent": format_percent(figures["communes_with_products"], figures["communes_total"])},
            "url": "#communes",
        },
    ]
    if not public:
        kpi_cards.append(
            {
                "key": "expiring",
                "value": figures["expiring_90_days"],
                "label": _("Expiring within 90 days"),
                "url": link(expiring=1),
            }
        )
    kinds = [
        {
            "label": label,
            "value": figures["producer_types"][k],
            "url": link(view="producers", kind=k),
            "share": format_percent(figures["producer_types"][k], figures["producers"]),
        }
        for k, label in ((k, v[:1].upper() + v[1:]) for k, v in kind_nouns().items())
    ]
    groups = [
        {"label": label, "value": figures["by_group"][str(v)], "url": link(group=v)}
        for v, label in ProductGroup.choices
    ]
    trend = kpis.trend(scope)
    chart = {
        "labels": [datetime.date.fromisoformat(p["date"]).strftime("%d/%m/%Y") for p in trend],
        "series": [{"label": f"{s}★", "data": [p[s] for p in trend]} for s in kpis.STARS],
        "groups": {"labels": [str(g["label"]) for g in groups], "data": [g["value"] for g in groups]},
    }
    return {
        "scope": scope,
        "figures": figures,
        "kpis": kpi_cards,
        "kinds": kinds,
        "groups": groups,
        "communes": [c for c in communes if c["products"]][:50],
        "communes_without": sum(1 for c in communes if not c["products"]),
        "chart": chart,
        "plan": figures.get("plan"),
        "as_of_value": scope.as_of.isoformat(),
        "query": urlencode(scope.query_params()),
        "list_url": link(),
        "map_note": map_note(figures),
    }


def filter_certified(scope, params):
    """Certified products of the scope filtered by the dashboard's click-through parameters."""
    certs = kpis.certified_products(scope)
    star = params.get("star", "")
    if star in kpis.STARS:
        certs = [c for c in certs if c.star == int(star)]
    if params.get("potential") == "1":
        certs = [c for c in certs if c.potential_5_star and c.star == 4]
    if params.get("kind") in ProducerKind.values:
        certs = [c for c in certs if c.product.producer.kind == params["kind"]]
    group = int_param(params, "group", maximum=SMALLINT_MAX)
    if group is not None:
        certs = [c for c in certs if int(group_of(c.product.product_set)) == group]
    if (params.get("in_commune") or "").isdigit():
        certs = [c for c in certs if c.report_commune and c.report_commune.code == params["in_commune"]]
    if params.get("expiring") == "1":
        certs = sorted(
            (c for c in certs if c.status_on(scope.as_of) == CertificateStatus.EXPIRING),
            key=lambda c: (c.expires_on, c.number),
        )
    return certs


def producers_of(certs):
    producers = {}
    for cert in certs:
        entry = producers.setdefault(
            cert.product.producer_id,
            {"producer": cert.product.producer, "commune": cert.report_commune, "products": 0},
        )
        entry["products"] += 1
    return sorted(producers.values(), key=lambda e: e["producer"].name)


def filter_labels(params):
    labels = []
    if params.get("star") in kpis.STARS:
        labels.append(f"{params['star']}★")
    if params.get("potential") == "1":
        labels.append(_("Potential 5★"))
    if params.get("kind") in ProducerKind.values:
        labels.append(str(ProducerKind(params["kind"]).label))
    group = int_param(params, "group", maximum=SMALLINT_MAX)
    if group in ProductGroup.values:
        labels.append(str(ProductGroup(group).label))
    if params.get("expiring") == "1":
        labels.append(_("Expiring within 90 days"))
    if (params.get("in_commune") or "").isdigit():
        labels.append(params["in_commune"])
    return labels


def products_context(scope, params, *, public=False):
    """The list behind a figure (products, or their producers with ?view=producers), 50 a page: one
    implementation for the office's and the public dashboard (`public` picks the way back)."""
    certs = filter_certified(scope, params)
    view = "producers" if params.get("view") == "producers" else "products"
    items = producers_of(certs) if view == "producers" else certs
    back = reverse("reports:dashboard" if public else "backoffice:reports_dashboard")
    return {
        "scope": scope,
        "view": view,
        "page": Paginator(items, 50).get_page(params.get("page")),
        "count": len(items),
        "back": back + "?" + urlencode(scope.query_params()),
        "filters": filter_labels(params),
    }
