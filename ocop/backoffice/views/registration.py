"""A producer registers: an account and its profile, awaiting the province's approval. The page keeps its
address and name among the account pages (`accounts:register`, composed in ocop/urls.py); the work is the
registry's (`ocop.registry.domain.register_producer`), which sits above accounts."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocop.registry.domain import register_producer
from ocop.registry.forms import RegistrationForm


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        producer_values = {f: data[f] for f in RegistrationForm.Meta.fields}
        user, _producer = register_producer(
            username=data["username"],
            password=data["password1"],
            full_name=data["full_name"],
            email=data["account_email"],
            producer_values=producer_values,
        )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Your account is created. The provincial OCOP office will check and approve your profile."),
        )
        return redirect("backoffice:home")
    return render(request, "accounts/register.html", {"form": form})
