"""Partner API tokens for the office: list, issue (the secret is shown once), revoke."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ocop.api import domain
from ocop.api.models import ApiToken, Scope
from ocop.geo.models import AdminUnit

from ..actions import run_action, run_form


def tokens_for(user):
    if user.has_perm("api.add_national_token"):
        return ApiToken.objects.all()
    provinces = domain.provinces_for(user) or []
    return ApiToken.objects.filter(province__in=[p.pk for p in provinces])


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=100)
    partner = forms.CharField(label=gettext_lazy("partner organisation"), max_length=200)
    contact_email = forms.EmailField(label=gettext_lazy("contact e-mail"), required=False)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("province"), queryset=AdminUnit.objects.none(), required=False
    )
    rate_limit_per_minute = forms.IntegerField(
        label=gettext_lazy("requests per minute"), min_value=1, max_value=100_000, initial=120
    )
    expires_on = forms.DateField(
        label=gettext_lazy("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = domain.provinces_for(user)
        field = self.fields["province"]
        if provinces is None:
            field.queryset = AdminUnit.objects.filter(level="province").order_by("map", "name_folded")
            field.empty_label = _("Whole country")
        else:
            field.queryset = AdminUnit.objects.filter(pk__in=[p.pk for p in provinces])
            field.required = True

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return day


@login_required
def token_list(request):
    if not request.user.has_perm("api.list_tokens"):
        raise PermissionDenied
    tokens = tokens_for(request.user).select_related("province", "created_by", "revoked_by")
    show = request.GET.get("show")
    if show != "all":
        tokens = tokens.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )
    return render(request, "backoffice/ops/token_list.html", {"tokens": tokens, "show": show})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    if not request.user.has_perm("api.list_tokens"):
        raise PermissionDenied
    form = TokenForm(request.POST or None, user=request.user)

    def issue():
        data = dict(form.cleaned_data)
        day = data.pop("expires_on")
        expires_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) if day else None
        return domain.issue_token(actor=request.user, expires_at=expires_at, **data)

    answer, _status = run_form(request, form, issue, then=lambda issued: _token_created(request, *issued))
    return answer or render(request, "backoffice/ops/token_form.html", {"form": form})


def _token_created(request, token, raw):
    """The secret is shown on this response only; it is not stored and not cached."""
    response = render(request, "backoffice/ops/token_created.html", {"token": token, "raw": raw})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(tokens_for(request.user), pk=pk)
    return run_action(
        request,
        lambda: domain.revoke_token(token, actor=request.user, reason=request.POST.get("reason", "")[:500]),
        done=_("The token is revoked; the partner's requests are refused from now on."),
        back=lambda: redirect("backoffice:api_token_list"),
    )
