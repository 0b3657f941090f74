"""The partner API: /api/v1/, OpenAPI 3.1 at /api/v1/openapi.json.

Every error is JSON `{"code": "...", "message": "..."}` with a 4xx status. Each area owns a router
module in `ocop.api.routers`."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ocop.accounts.rules import LEGACY_READ_ONLY, read_only
from ocop.core.errors import DomainError
from ocop.core.params import is_nul_refusal, is_out_of_range

from .routers import certificates, criteria, evaluation, market, partner, registry, stats, verify
from .schemas import Error


class OcopAPI(NinjaAPI):
    """Declares the errors every operation can give, so the schema is honest about them: 422 for
    malformed parameters or body (answered by `validation_error` below) and 404 for unknown ids."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Error", Error.model_json_schema())
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                keys = {str(k) for k in responses}
                if (operation.get("parameters") or operation.get("requestBody")) and "422" not in keys:
                    responses[422] = {"description": "Invalid input", **error}
                if operation.get("requestBody") and "400" not in keys:
                    responses[400] = {"description": "The body is not valid JSON", **error}
                if "{" in path and "404" not in keys:
                    responses[404] = {"description": "Not found", **error}
        return schema


api = OcopAPI(
    title="OCOP platform API",
    version="1.0.0",
    description="Public and partner API of the OCOP platform (One Commune One Product, Vietnam).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status, code, message):
    return api.create_response(request, {"code": code, "message": str(message)}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    response = error(request, exc.status, exc.code, exc.message)
    if getattr(exc, "retry_after", None) is not None:
        response["Retry-After"] = str(int(exc.retry_after))
    return response


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    message = f"{where}: {first.get('msg', 'invalid input')}" if where else first.get("msg", "invalid input")
    return error(request, 422, "validation_error", message)


@api.exception_handler(ValidationError)
def django_validation_error(request, exc):
    return error(request, 422, "validation_error", "; ".join(exc.messages))


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    user = getattr(request, "user", None)
    if user is not None and read_only(user):
        return error(request, 403, "legacy_unit", str(LEGACY_READ_ONLY))
    return error(request, 403, "forbidden", "You do not have permission to do this.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", "Authentication required.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    default_code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}
    code = getattr(exc, "code", None) or default_code.get(exc.status_code, "error")
    return error(request, exc.status_code, code, exc.message)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    # Raised when the view reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE; without this handler django-ninja
    # answers 500 (with a traceback under DEBUG).
    return error(request, 413, "too_large", gettext("The request body is too large."))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc):
    if is_nul_refusal(exc):
        return error(request, 422, "bad_parameter", gettext("The request contains a NUL character (0x00)."))
    if not is_out_of_range(exc):
        raise exc
    return error(request, 400, "bad_parameter", gettext("A number in the request is too large."))


api.add_router("/", registry.router)
api.add_router("/", criteria.router)
api.add_router("/", evaluation.router)
api.add_router("/", certificates.router)
api.add_router("/", verify.router)
api.add_router("/", stats.router)
api.add_router("/", market.router)
api.add_router("/", partner.router)

__all__ = ["Error", "api"]
