"""The partner API: /api/v1/, OpenAPI 3.1 at /api/v1/openapi.json.

Every error is JSON `{"code": "...", "message": "..."}` with a 4xx status. Each area owns a router
module in `ocop.api.routers`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ocop.core.errors import DomainError

from .routers import certificates, criteria, evaluation, market, partner, registry, stats, verify
from .schemas import Error

api = NinjaAPI(
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
    return error(request, exc.status, exc.code, exc.message)


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
    return error(request, 403, "forbidden", "You do not have permission to do this.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", "Authentication required.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    return error(request, exc.status_code, getattr(exc, "code", None) or "error", exc.message)


api.add_router("/", registry.router)
api.add_router("/", criteria.router)
api.add_router("/", evaluation.router)
api.add_router("/", certificates.router)
api.add_router("/", verify.router)
api.add_router("/", stats.router)
api.add_router("/", market.router)
api.add_router("/", partner.router)

__all__ = ["Error", "api"]
