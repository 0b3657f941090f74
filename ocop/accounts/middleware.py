from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user with a one-time password may still open: the password change itself and logging out.
_ALLOWED = ("accounts:password_change", "accounts:logout")


class MustChangePasswordMiddleware:
    """A user given a one-time password by an officer chooses their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_change(request) and request.path not in {reverse(name) for name in _ALLOWED}:
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change(request):
        if request.path.startswith(("/static/", "/api/", "/i18n/", "/v/", "/01/", "/healthz")):
            return False  # public and machine paths: no session lookup
        user = getattr(request, "user", None)
        try:
            return bool(user is not None and user.is_authenticated and user.must_change_password)
        except (OperationalError, InterfaceError):
            # Database down: let the view fail and DatabaseUnavailableMiddleware answer 503.
            return False
