"""The one rule for following a `next` field or parameter after an action: only paths of this site.

An office form may carry `next` (where to go back to after the action). Anything else than a path on
this host — `https://evil.example/`, `//evil.example`, `javascript:`, a URL name that `redirect()` would
reverse — falls back to the view's own target, so a crafted link cannot send an officer elsewhere."""

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value):
    """`value` if it is a same-site path or URL, else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if not value.startswith("/") and "://" not in value:
        return None  # a bare word would be reversed as a URL name by redirect()
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


def redirect_next(request, default, *args, **kwargs):
    """Redirect to the request's `next` (POST first, then GET) when it is same-site, else to `default`
    (a URL, a URL name with `args`, or a model with get_absolute_url)."""
    target = safe_next(request, request.POST.get("next")) or safe_next(request, request.GET.get("next"))
    if target:
        return redirect(target)
    return redirect(resolve_url(default, *args, **kwargs))
