"""The second factor, on every way into a session.

- `check_second_factor(user, token)` is the one check the login forms use (the site's login page and
  the admin's): an account with a confirmed device logs in only with a valid code.
- A login that did not pass through such a form (any other path, present or future) is caught after
  the fact: `user_logged_in` records in the session whether the account has a device, and
  `SecondFactorMiddleware` ends a session that belongs to a two-factor account but was not verified by
  a device (django-otp's `is_verified`), before any view runs. The flag costs no query per request:
  the device lookup happens once, at login.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device

from ocop.core.middleware import DATABASE_ERRORS, DatabaseUnavailableMiddleware

SESSION_KEY = "ocop_otp_required"

OTP_REQUIRED_MESSAGE = gettext_lazy("Enter the 6-digit code from your authenticator app.")


def check_second_factor(user, token):
    """The device that verifies `token` for `user`, None when the account has no device; raises
    ValueError when the account has a device and the code is missing or wrong."""
    if not user_has_device(user):
        return None
    token = (token or "").strip()
    device = match_token(user, token) if token else None
    if device is None:
        raise ValueError("otp_required")
    # django-otp's user_logged_in receiver persists this device in the session (django_otp.login).
    user.otp_device = device
    return device


@receiver(user_logged_in, dispatch_uid="ocop.accounts.otp.remember_second_factor")
def remember_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_has_device(user)


def mark_second_factor(request, required):
    """After 2FA is turned on (the session is verified) or off (nothing left to verify)."""
    request.session[SESSION_KEY] = bool(required)


class SecondFactorMiddleware:
    """Ends a session of a two-factor account that no device verified (installed after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refusal = self._refusal(request)
        except DATABASE_ERRORS as exc:
            # The session lives in the database: when it is down, answer the same clean 503 as the
            # views do (DatabaseUnavailableMiddleware), never a 500, and never skip the check.
            return DatabaseUnavailableMiddleware(self.get_response).process_exception(request, exc)
        return refusal or self.get_response(request)

    def _refusal(self, request):
        # Only a request that carries a session cookie can be logged in: anonymous public pages are left
        # alone (reading the session would add "Vary: Cookie" to them).
        session = getattr(request, "session", None)
        if (
            request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and session is not None
            and session.get(SESSION_KEY)
        ):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "otp_required", "message": str(OTP_REQUIRED_MESSAGE)}, status=401
                    )
                messages.error(request, _("Log in again with the code from your authenticator app."))
                return redirect(settings.LOGIN_URL)
        return None
