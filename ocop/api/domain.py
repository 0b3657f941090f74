"""Partner API tokens: issue, revoke, authenticate, rate-limit. One state change = one function."""

import hashlib
import hmac
import secrets
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.rules import LEGACY_READ_ONLY, read_only
from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, NotAllowed
from ocop.core.permissions import acting_user, require

from .models import ApiToken, Scope

TOKEN_PREFIX = "ocop_"  # noqa: S105 (a public marker, not a secret)
LAST_USED_PRECISION = 60  # seconds: last_used_at is written at most once a minute per token


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after):
        super().__init__(
            _("Too many requests for this token; retry in %(seconds)s seconds.") % {"seconds": retry_after},
            code="rate_limited",
        )
        self.retry_after = retry_after


def hash_secret(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def provinces_for(user):
    """Provinces whose tokens `user` may create (None in the list: a national token)."""
    if user.has_perm("api.add_national_token"):
        return None
    if read_only(user):
        return []
    return [u for u in user.units(Role.PROVINCE_OFFICER) if u.level == "province"]


@transaction.atomic
def issue_token(
    *,
    actor,
    name,
    partner,
    scopes,
    province=None,
    rate_limit_per_minute=120,
    contact_email="",
    expires_at=None,
):
    """Create a token and return (token, raw secret). The raw secret is never stored or shown again."""
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise DomainError(_("Choose at least one known scope."), code="invalid_scopes")
    if province is None:
        require(actor, "api.add_national_token")
    elif province.level != "province":
        raise DomainError(_("A token is scoped to a province."), code="invalid_province")
    else:
        allowed = provinces_for(actor)
        if allowed is not None and province.pk not in {p.pk for p in allowed}:
            if read_only(actor):
                raise NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")
            raise PermissionDenied
    if not 1 <= rate_limit_per_minute <= 100_000:
        raise DomainError(
            _("The rate limit must be between 1 and 100000 requests per minute."), code="invalid_rate_limit"
        )
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        partner=partner,
        contact_email=contact_email,
        scopes=sorted(set(scopes)),
        province=province,
        prefix=prefix,
        secret_hash=hash_secret(raw),
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=acting_user(actor),
        expires_at=expires_at,
    )
    log_activity(
        token,
        "api.token.issued",
        actor=actor,
        data={
            "partner": partner,
            "scopes": token.scopes,
            "province": province.code if province else None,
            "rate_limit_per_minute": rate_limit_per_minute,
        },
    )
    return token, raw


@transaction.atomic
def revoke_token(token, *, actor, reason=""):
    """Revoke a token. Two officers revoking at once: the row lock makes one win; the other is told."""
    require(actor, "api.change_token", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("This token was already revoked."), code="already_revoked", status=409)
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    log_activity(token, "api.token.revoked", actor=actor, data={"reason": reason})
    return token


def authenticate(raw):
    """The active token for `raw`, or None. Constant-time comparison of the hash."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("province").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(raw)):
        return None
    if not token.is_active:
        return None
    _touch(token)
    return token


def _touch(token):
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def check_rate(token, *, now=None):
    """Fixed one-minute windows counted in the cache; raise RateLimited past the token's limit.

    With several app servers the cache must be shared (Redis, see docs/deploy.md); with the local
    memory cache each process counts on its own."""
    now = time.time() if now is None else now
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > token.rate_limit_per_minute:
        raise RateLimited(retry_after=60 - int(now % 60))
