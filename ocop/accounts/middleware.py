from django.shortcuts import redirect
from django.urls import reverse

from ocop.core.middleware import DATABASE_ERRORS

# Pages a user with a one-time password may still open: the password change itself and logging out.
_ALLOWED = ("accounts:password_change", "accounts:logout")
# Public and machine paths: no session lookup (the verify page's fast path, health checks, the API).
_SKIPPED = ("/static/", "/api/", "/i18n/", "/v/", "/01/", "/healthz")


class MustChangePasswordMiddleware:
    """A user given a one-time password by an officer chooses their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path.startswith(_SKIPPED)
            and request.path not in {reverse(name) for name in _ALLOWED}
            and self._must_change(request)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change(request):
        user = getattr(request, "user", None)
        try:
            return user is not None and user.is_authenticated and user.must_change_password
        except DATABASE_ERRORS:
            return False  # the view meets the same fault and answers 503
