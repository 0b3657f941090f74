import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.core.activity import log_activity

from .domain import password_chosen, register_producer
from .forms import LoginForm, RegistrationForm


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


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        producer_values = {f: data[f] for f in RegistrationForm.Meta.fields}
        user, _producer = register_producer(
            username=data["username"],
            password=data["password1"],
            full_name=data["full_name"],
            email=data["account_email"],
            producer_values=producer_values,
        )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Your account is created. The provincial OCOP office will check and approve your profile."),
        )
        return redirect("backoffice:home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn on TOTP: show a QR code for an authenticator app, confirm with a first code."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        if request.method == "POST" and request.POST.get("action") == "disable":
            confirmed.delete()
            log_activity(request.user, "accounts.2fa.disabled", actor=request.user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:two_factor")
        return render(request, "accounts/two_factor.html", {"enabled": True})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "app"}
    )
    error = None
    if request.method == "POST":
        if device.verify_token((request.POST.get("token") or "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            log_activity(request.user, "accounts.2fa.enabled", actor=request.user)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("backoffice:home")
        error = _("The code is not right. Check the time on your phone and try again.")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/two_factor.html",
        {"enabled": False, "qr": qr, "secret": device.key, "error": error},
    )
