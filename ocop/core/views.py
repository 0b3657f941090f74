from django.http import HttpResponse


def trivial(request):
    """The baseline for benchmarks: the cheapest page Django can serve."""
    return HttpResponse(b"ok", content_type="text/plain")


def page_not_found(request, exception=None):
    """404 for every unknown URL: JSON under /api/, the site's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found as html_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Not found."}, status=404)
    return html_not_found(request, exception)


def permission_denied(request, exception=None):
    """403: an account of a former province is told why (it only reads), whatever refused it."""
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied as html_denied

    from ocop.accounts.rules import LEGACY_READ_ONLY, read_only

    if not str(exception or "") and read_only(request.user):
        exception = PermissionDenied(LEGACY_READ_ONLY)
    return html_denied(request, exception)


def switch_language(request, code):
    """Switch the interface language with a plain link (a preference cookie, no CSRF token needed, so
    public pages stay cacheable) and go back to where the visitor was."""
    from django.conf import settings
    from django.http import HttpResponseRedirect
    from django.utils.translation import check_for_language

    from ocop.core.redirects import safe_next

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
