from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import check_for_language
from django.views.defaults import page_not_found as html_not_found
from django.views.defaults import permission_denied as html_denied

from ocop.core.permissions import page_reason
from ocop.core.redirects import safe_next


def trivial(request):
    """The baseline for benchmarks: the cheapest page Django can serve."""
    return HttpResponse(b"ok", content_type="text/plain")


def page_not_found(request, exception=None):
    """404 for every unknown URL: JSON under /api/, the site's page elsewhere."""

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Not found."}, status=404)
    return html_not_found(request, exception)


def permission_denied(request, exception=None):
    """403: an account of a former province is told why (it only reads), whatever refused it (the reason
    comes from the app that knows it: `ocop.core.permissions.register_page_reason`)."""
    reason = None if str(exception or "") else page_reason(request.user)
    if reason is not None:
        exception = PermissionDenied(reason)
    return html_denied(request, exception)


def switch_language(request, code):
    """Switch the interface language with a plain link (a preference cookie, no CSRF token needed, so
    public pages stay cacheable) and go back to where the visitor was."""

    target = safe_next(request, request.GET.get("next")) or "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=False,
        )
    return response
