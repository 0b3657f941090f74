import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from ocop.core.errors import DomainError

from .domain import (
    disable_two_factor,
    enable_two_factor,
    password_chosen,
    two_factor_setup_device,
)
from .forms import LoginForm
from .otp import mark_second_factor


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form, "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; choosing a password also lifts the obligation set by a one-time password."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_chosen(self.request.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a password from a mailed link also lifts a pending one-time password."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_chosen(self.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn on TOTP (a QR code for an authenticator app, confirmed with a first code), or turn it off
    (with a valid code)."""
    error = None
    if user_has_device(request.user):
        if request.method == "POST" and request.POST.get("action") == "disable":
            try:
                disable_two_factor(request.user, request.POST.get("token"), actor=request.user)
            except DomainError as exc:
                error = exc.message
            else:
                mark_second_factor(request, required=False)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:two_factor")
        return render(request, "accounts/two_factor.html", {"enabled": True, "error": error})
    device = two_factor_setup_device(request.user)
    if request.method == "POST":
        try:
            device = enable_two_factor(request.user, request.POST.get("token"), actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            otp_login(request, device)
            mark_second_factor(request, required=True)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("backoffice:home")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/two_factor.html",
        {"enabled": False, "qr": qr, "secret": device.key, "error": error},
    )
