"""`ocop.backoffice.actions`: the one path of an office view's POST. A refusal changes nothing and is
shown (a message, or an error on the form); a former province's account gets a 403 with its reason."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ocop.accounts.rules import LEGACY_READ_ONLY
from ocop.backoffice.actions import run_action, run_form
from ocop.core.dates import today
from ocop.core.errors import DomainError, NotAllowed
from ocop.core.locking import LOCK_FIELD, token_of
from ocop.market import domain as market
from ocop.market.models import Fair
from tests.factories import ProductFactory

pytestmark = [pytest.mark.django_db]


class NameForm(forms.Form):
    name = forms.CharField()


def _post(data=None):
    request = RequestFactory().post("/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _refuse(exc):
    def call():
        raise exc

    return call


@pytest.mark.unit
def test_run_action_refusal_is_a_message_and_the_way_back():
    request = _post()
    response = run_action(request, _refuse(DomainError("Không được.")), back=lambda: HttpResponse("back"))
    assert (response.content, [str(m) for m in request._messages]) == (b"back", ["Không được."])


@pytest.mark.unit
def test_run_action_success_message_from_the_result_and_then():
    request = _post()
    response = run_action(
        request, lambda: 3, done=lambda n: f"{n} done", then=lambda n: HttpResponse(str(n)), back=None
    )
    assert (response.content, [str(m) for m in request._messages]) == (b"3", ["3 done"])


@pytest.mark.unit
@pytest.mark.parametrize("helper", ["action", "form"])
def test_legacy_unit_refusal_is_a_403_with_its_reason(helper):
    request = _post({"name": "x"})
    call = _refuse(NotAllowed(LEGACY_READ_ONLY, code="legacy_unit"))
    with pytest.raises(PermissionDenied) as exc:
        if helper == "action":
            run_action(request, call, back=lambda: HttpResponse())
        else:
            run_form(request, NameForm(request.POST), call, then=lambda r: r)
    assert (str(exc.value), list(request._messages)) == (str(LEGACY_READ_ONLY), [])


@pytest.mark.unit
def test_run_form_refusal_is_a_form_error_with_its_status():
    request = _post({"name": "x"})
    form = NameForm(request.POST)
    answer, status = run_form(request, form, _refuse(DomainError("Trùng.", status=409)), then=lambda r: r)
    assert (answer, status, form.non_field_errors()) == (None, 409, ["Trùng."])


@pytest.mark.unit
def test_run_form_does_not_call_for_an_invalid_form():
    request = _post({})
    calls = []
    answer, status = run_form(request, NameForm(request.POST), lambda: calls.append(1), then=lambda r: r)
    assert (answer, status, calls) == (None, 200, [])


@pytest.mark.integration
def test_legacy_officer_posting_a_form_view_gets_403(client_for, province_officer):
    response = client_for(province_officer).post(
        reverse("backoffice:market_fair_create"),
        {"name": "Hội chợ", "starts_on": "01/03/2026", "ends_on": "02/03/2026", "place": "Bến Tre"},
    )
    assert (response.status_code, str(LEGACY_READ_ONLY) in response.content.decode()) == (403, True)
    assert list(Fair.objects.all()) == []


@pytest.mark.integration
def test_legacy_officer_refused_by_the_domain_gets_403_not_a_message(
    client_for, province_officer, vinh_long_officer, producer_org, ben_tre
):
    """The page lets the former province read the event; the domain function refuses the change with
    the legacy reason, which is a 403 (was an error message and a redirect)."""
    fair = market.create_fair(
        actor=vinh_long_officer,
        name="Hội chợ Dừa",
        starts_on=today(),
        ends_on=today(),
        place="Quảng trường",
        organiser="Sở Công Thương",
        province=ben_tre,
    )
    participant = market.add_fair_participant(fair, actor=vinh_long_officer, producer=producer_org)
    product = ProductFactory(producer=producer_org)
    response = client_for(province_officer).post(
        reverse("backoffice:market_fair_products", args=[fair.pk, participant.pk]),
        {"products": [product.pk], LOCK_FIELD: token_of(participant)},
    )
    assert (response.status_code, str(LEGACY_READ_ONLY) in response.content.decode()) == (403, True)
    assert list(participant.products.all()) == []
