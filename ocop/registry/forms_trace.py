from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TraceCode


class TraceCodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=TraceCode.Kind.choices)
    code = forms.CharField(label=_("code"), max_length=60)
    issuer = forms.CharField(label=_("issued by"), max_length=200)
    issued_on = forms.DateField(label=_("issued on"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    valid_until = forms.DateField(
        label=_("valid until"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    note = forms.CharField(label=_("note"), max_length=255, required=False)
