from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.locking import LockTokenMixin
from ocop.registry.forms import CommuneField

from .enums import QD950_CRITERIA, Platform
from .models import Fair, SalePoint, TourismRoute
from .validators import clean_listing_url


class SalePointForm(LockTokenMixin, forms.ModelForm):
    commune = CommuneField(label=_("commune"))
    criteria = forms.MultipleChoiceField(
        label=_("QĐ 950 criteria met"),
        choices=list(QD950_CRITERIA.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SalePoint
        fields = [
            "name",
            "kind",
            "address",
            "commune",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "website",
            "criteria",
        ]


class SuggestSalePointForm(SalePointForm):
    products = forms.ModelMultipleChoiceField(
        label=_("Your products sold there"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    class Meta(SalePointForm.Meta):
        fields = ["name", "kind", "address", "commune", "latitude", "longitude", "opening_hours", "phone"]

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("criteria")
        self.fields["products"].queryset = producer.products.all()


class ListingForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    url = forms.CharField(label=_("Link to the product page"), max_length=500)

    def clean(self):
        data = super().clean()
        if "platform" in data and "url" in data:
            try:
                data["url"] = clean_listing_url(data["platform"], data["url"])
            except forms.ValidationError as exc:
                self.add_error("url", exc)
        return data


class FairForm(forms.ModelForm):
    class Meta:
        model = Fair
        fields = ["name", "kind", "starts_on", "ends_on", "place", "organiser", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class FairResultsForm(LockTokenMixin, forms.Form):
    """One participant's results; `lock_record=` the participant (its token is in the page's row)."""

    contracts_count = forms.IntegerField(label=_("Contracts signed"), min_value=0, required=False)
    contracts_value = forms.IntegerField(label=_("Value of contracts (VND)"), min_value=0, required=False)
    sales_value = forms.IntegerField(label=_("Sales at the event (VND)"), min_value=0, required=False)


class RouteForm(LockTokenMixin, forms.ModelForm):
    """A tourism route and its stops in visiting order (active sale points the office can see)."""

    STOPS = 8

    class Meta:
        model = TourismRoute
        fields = ["name", "duration", "description", "published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sale_points, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.STOPS + 1):
            self.fields[f"stop_{n}"] = forms.ModelChoiceField(
                queryset=sale_points, required=n == 1, label=_("Stop %(n)s") % {"n": n}
            )

    def values(self):
        """The route's own fields (what `create_route` / `update_route` take besides the stops)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def stops(self):
        chosen = [self.cleaned_data.get(f"stop_{n}") for n in range(1, self.STOPS + 1)]
        return [s for s in chosen if s is not None]

    def clean(self):
        data = super().clean()
        stops = self.stops()
        if len({s.pk for s in stops}) != len(stops):
            raise forms.ValidationError(_("A sale point can be only one stop of a route."))
        return data

    def stop_fields(self):
        return [self[f"stop_{n}"] for n in range(1, self.STOPS + 1)]
