"""The one way an office view runs a domain function for a POST (was `_domain_action` in the
evaluation views, `_transition` in the stamp views, `_act` in the certificate views and some forty
hand-written `try: ... except DomainError` blocks).

Two shapes, one rule for a refusal (`DomainError`): nothing changes (the domain function's transaction
rolls back), the user reads `exc.message`, and a former province's `legacy_unit` refusal is a 403 with
its reason (`refuse_legacy`).

- `run_action(request, call, back=..., done=...)`: a button. A refusal becomes an error message and the
  answer is `back()` (or `refused(exc)`, a page rendered again); on success `done`, if given, becomes a
  success message (a callable `done` is given `call`'s result). The answer is `then(result)` when `then`
  is given, else what `call` returned when that is a response (a view that renders or redirects on its
  own), else `back()`.
- `run_form(request, form, call, then=..., done=...)`: a form page. When the POSTed form is valid it calls
  `call()`; a refusal becomes an error on the form (non-field, or `field`) and the view renders the form
  again with the refusal's status; on success `done` becomes a message and the answer is `then(result)`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ocop.core.errors import DomainError
from ocop.core.permissions import require_view


def refuse_legacy(exc):
    """A former province's account (read-only) gets a 403 with the reason, whatever the page."""
    if exc.code == "legacy_unit":
        raise PermissionDenied(exc.message) from exc


def _success(request, done, result):
    if callable(done):
        done = done(result)
    if done:
        messages.success(request, done)


def run_action(request, call, *, back, done=None, then=None, refused=None):
    try:
        result = call()
    except DomainError as exc:
        refuse_legacy(exc)
        messages.error(request, exc.message)
        return refused(exc) if refused else back()
    _success(request, done, result)
    if then:
        return then(result)
    return result if isinstance(result, HttpResponseBase) else back()


def run_form(request, form, call, *, then, done=None, field=None):
    """(answer, status): `answer` is the response to return (the form was valid and `call` succeeded),
    else None and the view renders `form` again; `status` is 200 or the refusal's status (an edit form
    answers it: 409 for a stale save; a create form has always answered 200 with its errors)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        result = call()
    except DomainError as exc:
        refuse_legacy(exc)
        form.add_error(field, exc.message)
        return None, exc.status
    _success(request, done, result)
    return then(result), 200


def run_status_change(request, choices, change, *, back):
    """A POST that sets a record's status to the posted `status`, one of `choices` (TextChoices):
    `change(status)`; an unknown value is refused, a success says the new status."""
    status = request.POST.get("status", "")

    def call():
        if status not in choices.values:
            raise DomainError(_("Unknown status."), code="unknown_status")
        return change(status)

    return run_action(
        request,
        call,
        done=lambda _result: _("Status changed to %(status)s.") % {"status": choices(status).label},
        back=back,
    )


def scoped_object(request, queryset, pk, perm):
    """The record `pk` of `queryset` (the user's scope: else 404) on which the user holds `perm` (else 403,
    with the reason when one is known: `require_view`)."""
    obj = get_object_or_404(queryset, pk=pk)
    require_view(request.user, perm, obj)
    return obj


def form_errors(request, form):
    """Every error of an invalid form as an error message (the action then changes nothing)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
