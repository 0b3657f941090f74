from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ocop.registry.forms import ProducerForm

from .models import User
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


class RegistrationForm(ProducerForm):
    """A producer registers an account and its profile; the province approves it."""

    username = forms.CharField(label=_("username"), max_length=150)
    full_name = forms.CharField(label=_("your full name"), max_length=150)
    account_email = forms.EmailField(label=_("your email"))
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput)

    class Meta(ProducerForm.Meta):
        fields = [
            "name",
            "kind",
            "tax_code",
            "representative",
            "phone",
            "email",
            "address",
            "commune",
            "women_led",
            "ethnic_minority_led",
            "founded_on",
        ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(
                    data["password1"],
                    User(username=data.get("username", ""), email=data.get("account_email", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
