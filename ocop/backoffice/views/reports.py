"""The office dashboard (KPIs as of a date, trends, communes, plan progress, expiring certificates),
the lists behind every figure, report downloads and the national export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ocop.accounts.enums import Role
from ocop.certificates.enums import CertificateStatus
from ocop.core.errors import DomainError
from ocop.evaluation.queries import pipeline, rounds_for
from ocop.geo.queries import current_successors, legacy_predecessors
from ocop.reports import export, kpis
from ocop.reports.dashboard import dashboard_context, products_context
from ocop.reports.render import to_pdf, to_text, to_xlsx
from ocop.reports.report import build_report
from ocop.reports.scope import Scope, parse_as_of, resolve, scope_for_unit

SCOPED = (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER)


def _national(user):
    return user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER)


def scope_for_request(request):
    """The scope asked for (?province=, ?commune=, ?as_of=), defaulting to the user's own unit.

    Raises PermissionDenied for users without reports access (403) and Http404 outside the user's
    units; a bad date or code raises DomainError (shown as a message)."""
    user = request.user
    if not user.has_perm("reports.access"):
        raise PermissionDenied
    as_of = parse_as_of(request.GET.get("as_of"))
    province, commune = request.GET.get("province", "").strip(), request.GET.get("commune", "").strip()
    if province or commune:
        scope = resolve(as_of, province=province, commune=commune)
    elif _national(user):
        scope = Scope(as_of, None)
    else:
        units = user.units(*SCOPED)
        scope = scope_for_unit(units[0], as_of) if units else None
        if scope is None:
            raise Http404
    if scope.unit is None:
        if not _national(user):
            raise Http404
    elif not user.has_perm("reports.view_unit", scope.unit):
        raise Http404
    return scope


def _scoped(request):
    """(scope, error message): a bad date or code falls back to the user's default with a message."""
    try:
        return scope_for_request(request), None
    except DomainError as exc:
        request.GET = request.GET.copy()
        for key in ("as_of", "province", "commune"):
            request.GET.pop(key, None)
        return scope_for_request(request), exc.message


@login_required
def dashboard(request):
    scope, error = _scoped(request)
    context = dashboard_context(scope)
    context["error"] = error
    if scope.unit is not None:
        context["expiring"] = [
            c
            for c in kpis.certified_products(scope)
            if c.status_on(scope.as_of) == CertificateStatus.EXPIRING
        ][:10]
    context["can_export_national"] = request.user.has_perm("reports.national_export")
    context["round"], context["pipeline"] = _current_round(request.user, scope)
    return render(request, "backoffice/reports/dashboard.html", context)


def _current_round(user, scope):
    """The latest round of the dashboard's province that the user may see, with its pipeline."""

    rounds = rounds_for(user)
    if scope.unit is not None:
        # The same province on either map (a legacy Bến Tre round shows on current Vĩnh Long's board).
        related = [scope.unit, *current_successors(scope.unit), *legacy_predecessors(scope.unit)]
        rounds = rounds.filter(province__in=related)
    current = rounds.order_by("-year", "-council_date", "-pk").first()
    return current, [row for row in pipeline(current) if row[2]] if current else []


@login_required
def products(request):
    scope, error = _scoped(request)
    context = products_context(scope, request.GET)
    context["error"] = error
    return render(request, "backoffice/reports/products.html", context)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def _attachment(data, filename, fmt):
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def download(request, fmt):
    if fmt not in ("xlsx", "pdf", "txt"):
        raise Http404
    scope = scope_for_request_or_400(request)
    if isinstance(scope, HttpResponse):
        return scope
    report = build_report(scope)
    data = {"xlsx": to_xlsx, "pdf": to_pdf, "txt": lambda r: to_text(r).encode()}[fmt](report)
    return _attachment(data, f"{report.filename_stem}.{fmt}", fmt)


def scope_for_request_or_400(request):
    try:
        return scope_for_request(request)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")


@login_required
def national_export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if not request.user.has_perm("reports.national_export"):
        raise PermissionDenied
    scope = scope_for_request_or_400(request)
    if isinstance(scope, HttpResponse):
        return scope
    data = export.to_xlsx(scope) if fmt == "xlsx" else export.to_csv(scope)
    code = scope.unit.code if scope.unit else "VN"
    return _attachment(data, f"ocop-national-{code}-{scope.as_of.isoformat()}.{fmt}", fmt)
