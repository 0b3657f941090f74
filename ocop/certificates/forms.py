from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.dates import today

from .enums import PostCheckResult, RevocationGround


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), initial=today, **kwargs)


class RevokeForm(forms.Form):
    # No default ground: the officer names the one the revocation decision gives.
    ground = forms.ChoiceField(label=_("ground"), choices=[("", "—"), *RevocationGround.choices])
    decision_number = forms.CharField(label=_("revocation decision number"), max_length=60)
    revoked_on = _date_field(_("effective on"))
    concluded_on = forms.DateField(
        label=_("conclusion of the competent authority on"),
        widget=DateInput(),
        help_text=_("QĐ 26/2026 Art. 8.4: the revocation is due within 15 days of this date."),
    )
    note = forms.CharField(label=_("details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm = forms.BooleanField(
        label=_("I confirm the revocation: it cannot be undone and every stamp of the product turns red."),
        required=True,
    )

    def clean(self):
        data = super().clean()
        data.pop("confirm", None)  # asked of the officer, not of the domain function
        return data


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    suspended_on = _date_field(_("suspended from"))


class LiftForm(forms.Form):
    lifted_on = _date_field(_("lifted on"))
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class PostCheckForm(forms.Form):
    checked_on = _date_field(_("checked on"))
    team = forms.CharField(label=_("inspection team"), max_length=255)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 4}))
    result = forms.ChoiceField(label=_("result"), choices=PostCheckResult.choices)


class NumberPatternForm(forms.Form):
    pattern = forms.CharField(
        label=_("number pattern"),
        max_length=80,
        help_text=_(
            "Fields: {province}, {commune}, {seq} (e.g. {seq:05d}) and {year}. Example: {province}-{commune}-{seq:04d}-{year}"
        ),
    )
