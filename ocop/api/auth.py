"""Bearer-token authentication for the partner endpoints (ninja auth class).

`Authorization: Bearer ocop_<prefix>_<secret>`. An unknown, revoked or expired token answers 401; a
token past its per-minute limit answers 429; a token without the endpoint's scope answers 403."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ocop.core.errors import DomainError

from . import domain


class PartnerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        api_token = domain.authenticate(token)
        if api_token is None:
            return None
        domain.check_rate(api_token)
        request.api_token = api_token
        return api_token


def require_scope(request, scope):
    token = request.auth
    if scope not in token.scopes:
        raise DomainError(
            _("This token does not have the scope %(scope)s.") % {"scope": scope},
            code="insufficient_scope",
            status=403,
        )
    return token


partner_auth = PartnerToken()
