"""Open data downloads, sitemap.xml, robots.txt and the events page."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from ocop.core.dates import parse_date, today
from ocop.market.models import Fair
from ocop.registry.models import Producer

from .. import opendata
from ..search import certified_on, public_products
from ..slugs import slug_for


def _as_of(request):
    raw = request.GET.get("as_of", "")
    if not raw:
        return today(), None
    try:
        return parse_date(raw), None
    except ValueError:
        return None, _("The date “%(value)s” is not valid; use YYYY-MM-DD, e.g. 2022-07-31.") % {
            "value": raw[:20]
        }


def open_data(request):
    day, error = _as_of(request)
    context = {
        "columns": opendata.COLUMNS,
        "error": error,
        "day": day or today(),
        "license": opendata.LICENSE,
    }
    return render(request, "catalog/open_data.html", context, status=400 if error else 200)


def open_data_download(request, fmt):
    day, error = _as_of(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    build, content_type = opendata.FORMATS[fmt]
    response = HttpResponse(build(day), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ocop-products-{day.isoformat()}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_page(3600)
def sitemap(request):
    day = today()
    products = certified_on(day).values_list("pk", "name", "updated_at").order_by("pk")
    producer_ids = public_products().values("producer")
    producers = (
        Producer.objects.filter(pk__in=producer_ids, status="active").values_list("pk", "name").order_by("pk")
    )
    base = settings.SITE_URL
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in ("/", "/products/", "/map/", "/open-data/", "/events/"):
        lines.append(f"<url><loc>{base}{path}</loc></url>")
    for pk, name, updated in products:
        lines.append(
            f"<url><loc>{base}/products/{pk}/{slug_for(name)}/</loc><lastmod>{updated.date().isoformat()}</lastmod></url>"
        )
    for pk, name in producers:
        lines.append(f"<url><loc>{base}/producers/{pk}/{slug_for(name)}/</loc></url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml")


def robots(request):
    text = "\n".join(
        [
            "User-agent: *",
            "Disallow: /office/",
            "Disallow: /accounts/",
            "Disallow: /admin/",
            "Disallow: /api/",
            "Allow: /",
            f"Sitemap: {settings.SITE_URL}/sitemap.xml",
            "",
        ]
    )
    return HttpResponse(text, content_type="text/plain")


def events(request):
    day = today()
    fairs = Fair.objects.order_by("-starts_on")
    context = {
        "upcoming": [f for f in fairs if f.ends_on >= day][::-1],
        "past": [f for f in fairs if f.ends_on < day][:20],
        "day": day,
    }
    return render(request, "catalog/events.html", context)
