"""The public dashboard: the programme's figures as of a date, without private data (no certificate
numbers, no expiring list, no producer contacts). Anyone may read it."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ocop.core.dates import today
from ocop.core.errors import DomainError
from ocop.geo.enums import Level, map_for
from ocop.geo.models import AdminUnit
from ocop.reports.dashboard import (
    dashboard_context,
    products_context,
)
from ocop.reports.scope import Scope, parse_as_of, resolve


def _scope(request):
    """(scope, error): a bad date or an unknown code shows the whole country today with a message."""
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
        return resolve(
            as_of,
            province=request.GET.get("province", "").strip(),
            commune=request.GET.get("commune", "").strip(),
        ), None
    except DomainError as exc:
        return Scope(today(), None), exc.message


@require_GET
def dashboard(request):
    scope, error = _scope(request)
    context = dashboard_context(scope, public=True)
    context.update(error=error, public=True, province_choices=_provinces(scope.as_of))
    return render(request, "catalog/reports/dashboard.html", context)


def _provinces(day):
    """Provinces on the map in force on `day`, picked by name (their code is what the URL carries)."""

    return list(AdminUnit.objects.filter(map=map_for(day), level=Level.PROVINCE).order_by("name_folded"))


@require_GET
def products(request):
    scope, error = _scope(request)
    context = products_context(scope, request.GET, public=True)
    context.update(error=error, public=True)
    return render(request, "catalog/reports/products.html", context)
