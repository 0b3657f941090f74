import errno

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.utils.translation import gettext as _

from .params import BadParameter, is_out_of_range

# A database that is down or restarting. Middleware that reads the session or the user before the view
# lets these pass to the view, whose failure DatabaseUnavailableMiddleware answers with a clean 503.
DATABASE_ERRORS = (OperationalError, InterfaceError)


def wants_json(request):
    """A request whose answer is JSON (the API, a `*.json` data URL such as /map/data.json, or a client
    that asks for JSON and not HTML): its errors are JSON bodies too."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting gives a clean 503 (JSON for the API), never a 500; a
    number the database cannot hold (or a malformed one, `ocop.core.params`) gives a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return self._bad_request(request, exception.code, exception.message)
        if is_out_of_range(exception):
            return self._bad_request(request, "bad_parameter", _("A number in the request is too large."))
        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            # Disk full while storing an upload: the transaction has rolled back, nothing is half-saved.
            message = _(
                "The server has no space left to store files. Nothing was saved; please try again later."
            )
            return self._respond(request, 507, "storage_full", message)
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        message = _("The service is temporarily unavailable. Please try again in a moment.")
        return self._respond(request, 503, "unavailable", message)

    def _respond(self, request, status, code, message):
        if wants_json(request):
            response = JsonResponse({"code": code, "message": message}, status=status)
        else:
            response = SimpleTemplateResponse("503.html", {"message": message}, status=status).render()
        response["Retry-After"] = "5" if status == 503 else "300"
        return response

    def _bad_request(self, request, code, message):
        if wants_json(request):
            return JsonResponse({"code": code, "message": message}, status=400)
        return TemplateResponse(request, "400.html", {"message": message}, status=400).render()
