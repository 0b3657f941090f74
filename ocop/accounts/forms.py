from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .otp import OTP_REQUIRED_MESSAGE, check_second_factor


class SecondFactorFormMixin(forms.Form):
    """The code field and check of a login form (the site's and the admin's): an account with a device
    logs in only with one of its codes (`ocop.accounts.otp.check_second_factor`)."""

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
            self.otp_device = check_second_factor(user, self.cleaned_data.get("otp_token"))
        except ValueError:
            raise forms.ValidationError(OTP_REQUIRED_MESSAGE, code="otp_required") from None


class LoginForm(SecondFactorFormMixin, AuthenticationForm):
    """Username and password; staff who set up two-factor authentication also give a code."""
