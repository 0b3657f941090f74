from django.http import HttpResponse


def trivial(request):
    """The baseline for benchmarks: the cheapest page Django can serve."""
    return HttpResponse(b"ok", content_type="text/plain")
