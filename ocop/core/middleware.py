from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting gives a clean 503 (JSON for the API), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        message = _("The service is temporarily unavailable. Please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "unavailable", "message": message}, status=503)
        else:
            response = SimpleTemplateResponse("503.html", {"message": message}, status=503).render()
        response["Retry-After"] = "5"
        return response
