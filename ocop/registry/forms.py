from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.core.locking import LockTokenMixin
from ocop.core.uploads import IMAGE_TYPES, validate_upload
from ocop.geo.enums import Level
from ocop.geo.models import AdminUnit

from .domain import PRODUCER_FIELDS, PRODUCT_FIELDS
from .models import Producer, Product
from .validators import normalize_tax_code


class CommuneField(forms.ModelChoiceField):
    """A commune on either map; the page renders it with the province → (district) → commune picker."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=AdminUnit.objects.filter(level=Level.COMMUNE).select_related("province", "district"),
            widget=forms.HiddenInput,
            error_messages={
                "required": _("Choose the commune."),
                "invalid_choice": _("Choose a valid commune."),
            },
            **kwargs,
        )


class ProducerForm(LockTokenMixin, forms.ModelForm):
    commune = CommuneField(label=_("commune"))

    class Meta:
        model = Producer
        fields = PRODUCER_FIELDS
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_tax_code(self):
        value = normalize_tax_code(self.cleaned_data.get("tax_code"))
        return value or None


class ProductForm(LockTokenMixin, forms.ModelForm):
    photo = forms.ImageField(
        label=_("photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 8 MB.")
    )

    class Meta:
        model = Product
        # The product code (Annex II of QĐ 26/2026) is given by the commune when it forwards the dossier.
        fields = [f for f in PRODUCT_FIELDS if f != "code"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("description", "story", "ingredients")}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_upload(photo, IMAGE_TYPES, settings.MAX_PHOTO_MB)
        return photo

    def clean_gtin(self):
        return (self.cleaned_data.get("gtin") or "").strip()


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
