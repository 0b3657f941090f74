from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.locking import LockTokenMixin

from .domain import COURSE_FIELDS
from .enums import Indicator
from .models import ConsultancyUnit, Plan, SupportRecord, TrainingCourse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(LockTokenMixin, forms.ModelForm):
    """A plan and one number field per indicator (empty: no target)."""

    class Meta:
        model = Plan
        fields = ["year", "title", "reference", "adopted_on", "notes"]
        widgets = {"adopted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = dict(self.instance.targets.values_list("indicator", "value")) if self.instance.pk else {}
        for value, label in Indicator.choices:
            self.fields[f"target_{value}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=1_000_000, initial=existing.get(value)
            )
        if self.instance.pk:
            self.fields["year"].disabled = True

    def targets(self):
        return {value: self.cleaned_data.get(f"target_{value}") for value in Indicator.values}

    def target_fields(self):
        return [self[f"target_{value}"] for value in Indicator.values]


class CourseForm(forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = COURSE_FIELDS  # the fields `update_course` changes
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultancy_unit"].queryset = ConsultancyUnit.objects.filter(
            province=province, active=True
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        return data


class AttendeeForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=None, required=False)
    username = forms.CharField(label=_("Official (user name)"), required=False, max_length=150)

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers

    def clean(self):
        data = super().clean()
        if bool(data.get("producer")) == bool((data.get("username") or "").strip()):
            raise forms.ValidationError(_("Choose either a producer or an official's user name."))
        return data


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportRecord
        fields = ["producer", "product", "kind", "amount", "given_on", "source", "consultancy_unit", "note"]
        widgets = {"given_on": DateInput()}

    def __init__(self, *args, producers=None, products=None, consultancy_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["product"].queryset = products
        self.fields["consultancy_unit"].queryset = consultancy_units
        self.fields["amount"].min_value = 0
        self.fields["amount"].widget.attrs["min"] = 0

    def clean(self):
        data = super().clean()
        if (
            data.get("product")
            and data.get("producer")
            and data["product"].producer_id != data["producer"].pk
        ):
            self.add_error("product", _("This product belongs to another producer."))
        return data


class ConsultancyForm(forms.ModelForm):
    class Meta:
        model = ConsultancyUnit
        fields = ["name", "services", "phone", "email"]
