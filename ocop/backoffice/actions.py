"""The one way an office view runs a domain function for a POST (was `_domain_action` in the
evaluation views, `_transition` in the stamp views and `_act` in the certificate views).

`run_action(request, call, back=..., done=...)` calls `call()`; a refusal (`DomainError`) becomes an
error message and nothing changes (the domain function's transaction rolls back); on success `done`,
if given, becomes a success message. The answer is what `call` returned when that is a response (a view
that renders or redirects on its own), else `back()`, the page to go back to."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

from ocop.core.errors import DomainError


def run_action(request, call, *, back, done=None):
    try:
        result = call()
    except DomainError as exc:
        if exc.code == "legacy_unit":  # a former province's account (read-only): 403 with the reason
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return back()
    if done:
        messages.success(request, done)
    return result if isinstance(result, HttpResponseBase) else back()


def form_errors(request, form):
    """Every error of an invalid form as an error message (the action then changes nothing)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
