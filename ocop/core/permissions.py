"""The one permission check of the domain functions, and the system actor.

Every domain function takes `actor`: the user acting, or `SYSTEM` when the platform acts on its own
(management commands, background tasks, demo data, the importer run from the shell). `None` is not an
actor: a caller that forgot to say who acts gets a `TypeError`, never a silently skipped check.

    actor = require(actor, "stamps.block_batch", batch)  # the user to record: None for SYSTEM

`require` returns the user to record as the actor of what follows (`None` for the system, as
`ActivityLog.actor` and the `created_by`-style fields have always stored it), so a domain function
writes `actor = require(actor, ...)` once at the top and the rest of it is unchanged. A refusal raises
`refusal` (Django's `PermissionDenied` by default; the modules whose callers expect a `DomainError`
with a message pass `NotAllowed`)."""

from django.core.exceptions import PermissionDenied


class SystemActor:
    """The platform acting on its own: may do anything; recorded as no user."""

    pk = None
    is_authenticated = False
    is_anonymous = False
    is_active = True
    is_superuser = True
    producer = None

    def has_perm(self, perm, obj=None):
        return True

    def has_role(self, *roles):
        return False

    def __repr__(self):
        return "SYSTEM"

    def __str__(self):
        return "system"


SYSTEM = SystemActor()


def is_system(actor):
    return actor is SYSTEM


def acting_user(actor):
    """The user to record for `actor` (None for SYSTEM); `None` itself is refused."""
    if actor is SYSTEM:
        return None
    if actor is None:
        raise TypeError("actor is None: pass the user acting, or ocop.core.permissions.SYSTEM")
    return actor


_EXPLAINERS = []


def register_refusal_explainer(explain):
    """`explain(user, perm, obj)` returns the refusal to raise when it knows why `user` may not
    `perm` (e.g. accounts: a former province's account is read-only), else None. Registered by the
    app that knows the reason, so core imports no app."""
    if explain not in _EXPLAINERS:
        _EXPLAINERS.append(explain)


_PAGE_REASONS = []


def register_page_reason(reason):
    """`reason(user)` returns why every change is refused to `user` (a message for the 403 page), else
    None. Registered by the app that knows it (accounts: a former province's account only reads)."""
    if reason not in _PAGE_REASONS:
        _PAGE_REASONS.append(reason)


def page_reason(user):
    for reason in _PAGE_REASONS:
        message = reason(user)
        if message is not None:
            return message
    return None


def require(actor, perm, obj=None, *, refusal=PermissionDenied):
    """Check that `actor` holds `perm` (on `obj`); return the user to record (None for SYSTEM)."""
    user = acting_user(actor)
    if user is not None and not user.has_perm(perm, obj):
        reason = _explained(user, perm, obj)
        if reason is not None:
            raise reason
        raise refusal()
    return user


def _explained(user, perm, obj):
    for explain in _EXPLAINERS:
        reason = explain(user, perm, obj)
        if reason is not None:
            return reason
    return None


def require_view(user, perm, obj=None):
    """A view's check: `PermissionDenied` (a 403 page), carrying the explainer's message when one
    knows why (a domain refusal raised from a view would be a 500)."""
    if not user.has_perm(perm, obj):
        reason = _explained(user, perm, obj)
        raise PermissionDenied(getattr(reason, "message", None) or "") if reason else PermissionDenied()
    return user
