from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.certificates.forms import DateInput

from .enums import MAX_BATCH_QUANTITY


class OrderForm(forms.Form):
    product = forms.ModelChoiceField(label=_("product"), queryset=None, empty_label=None)
    quantity = forms.IntegerField(
        label=_("number of stamps"),
        min_value=1,
        max_value=MAX_BATCH_QUANTITY,
        error_messages={
            "min_value": _("Order at least one stamp."),
            "max_value": _("A batch holds at most 1.000.000 stamps."),
            "invalid": _("Enter a whole number."),
        },
    )
    lot_number = forms.CharField(label=_("lot number"), max_length=40, required=False)
    production_date = forms.DateField(label=_("production date"), widget=DateInput(), required=False)
    best_before = forms.DateField(label=_("best before"), widget=DateInput(), required=False)
    origin = forms.CharField(label=_("origin of raw materials"), max_length=255, required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
