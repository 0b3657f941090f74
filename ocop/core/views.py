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
