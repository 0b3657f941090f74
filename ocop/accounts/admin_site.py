"""The Django admin site, with the same second factor as the site's login page.

Django's own admin login asks only for the password; this site's login form also asks for the code
of an account that has a device, and `has_permission` refuses a session of such an account that no
device verified (whatever way it logged in)."""

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from .otp import OTP_REQUIRED_MESSAGE, SESSION_KEY, check_second_factor


class AdminLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you turned on two-factor authentication."),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        try:
            check_second_factor(user, self.cleaned_data.get("otp_token"))
        except ValueError:
            raise forms.ValidationError(OTP_REQUIRED_MESSAGE, code="otp_required") from None


class OCOPAdminSite(AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/ocop_login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not request.session.get(SESSION_KEY)
