"""Issue #12, item 8: the same record edited in two tabs. Every office edit form carries the record's
lock token (ocop.core.locking); the second save with a stale token gets 409 and a Vietnamese message,
and the first save's change stays."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Model
from django.utils.html import escape
from django.utils.translation import gettext

from ocop.core.locking import LOCK_FIELD, StaleEdit, check_unchanged, token_of
from ocop.core.models import ActivityLog
from ocop.market import domain as market
from ocop.market.enums import SalePointKind
from ocop.market.models import SalePoint
from ocop.programme import domain as programme
from ocop.registry import domain as registry

from ..factories import ProductFactory, unit
from ..market.helpers import fair_with_participant

pytestmark = pytest.mark.integration

STALE = "Someone saved this record after you opened the form (another tab or another officer). Nothing was saved: reload the page to see their changes, then make yours again."


def _form_data(form):
    """What the browser would send back for an unchanged form (its initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, Model):
            value = value.pk
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, datetime.date | Decimal | int):
            value = str(value)
        data[name] = value
    return data


def _producer(vinh_long_officer, producer_org):
    return f"/office/producers/{producer_org.pk}/edit/", "representative", lambda: producer_org


def _product(vinh_long_officer, producer_org):
    product = ProductFactory(producer=producer_org)
    return f"/office/products/{product.pk}/edit/", "packaging", lambda: product


def _sale_point(vinh_long_officer, producer_org):
    sp = SalePoint.objects.create(
        name="Co.opmart Bến Tre",
        kind=SalePointKind.SUPERMARKET,
        address="26 Đồng Khởi",
        commune=unit("28762"),
    )
    return f"/office/market/sale-points/{sp.pk}/edit/", "address", lambda: sp


def _route(vinh_long_officer, producer_org):
    sp = SalePoint.objects.create(
        name="Cồn Phụng", kind=SalePointKind.TOURISM_SITE, address="Ấp 10", commune=unit("28762")
    )
    route = market.create_route(actor=vinh_long_officer, name="Về miền dừa", province=unit("83"), stops=[sp])
    return f"/office/market/routes/{route.pk}/edit/", "description", lambda: route


def _plan(vinh_long_officer, producer_org):
    plan = programme.create_plan(actor=vinh_long_officer, unit=unit("83"), year=2026, title="Kế hoạch 2026")
    return f"/office/programme/plans/{plan.pk}/edit/", "notes", lambda: plan


@pytest.mark.parametrize("make", [_producer, _product, _sale_point, _route, _plan])
def test_second_tab_saving_a_stale_form_gets_409_and_overwrites_nothing(
    make, client_for, vinh_long_officer, producer_org
):
    url, field, record = make(vinh_long_officer, producer_org)
    client = client_for(vinh_long_officer)
    tab1 = _form_data(client.get(url).context["form"])
    tab2 = dict(tab1)
    assert tab1[LOCK_FIELD] == token_of(record())

    first = client.post(url, {**tab1, field: "Sửa ở thẻ thứ nhất"})
    second = client.post(url, {**tab2, field: "Sửa ở thẻ thứ hai"})

    obj = record()
    obj.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 409
    assert escape(gettext(STALE)) in second.content.decode()
    assert getattr(obj, field) == "Sửa ở thẻ thứ nhất"


def test_edit_form_without_its_token_is_refused(client_for, vinh_long_officer, producer_org):
    url = f"/office/producers/{producer_org.pk}/edit/"
    client = client_for(vinh_long_officer)
    data = _form_data(client.get(url).context["form"])
    del data[LOCK_FIELD]

    response = client.post(url, {**data, "representative": "Không có mã khoá"})

    producer_org.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        gettext("This form is out of date: reload the page and make your changes again.")
    ]
    assert producer_org.representative != "Không có mã khoá"


def test_stale_domain_call_writes_no_log_row(vinh_long_officer, producer_org):
    token = token_of(producer_org)
    registry.update_producer(producer_org, actor=vinh_long_officer, lock_token=token, phone="0275 3822 111")
    logs = ActivityLog.objects.count()

    with pytest.raises(StaleEdit) as refused:
        registry.update_producer(
            producer_org, actor=vinh_long_officer, lock_token=token, phone="0909 000 000"
        )

    producer_org.refresh_from_db()
    assert (refused.value.status, refused.value.code) == (409, "stale_edit")
    assert (producer_org.phone, ActivityLog.objects.count()) == ("0275 3822 111", logs)


def test_plan_token_changes_when_only_its_targets_change(vinh_long_officer, ben_tre):
    plan = programme.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2026, title="KH")
    token = token_of(plan)

    programme.update_plan(plan, actor=vinh_long_officer, targets={"new_products": 40}, lock_token=token)

    plan.refresh_from_db()
    assert token_of(plan) != token
    with pytest.raises(StaleEdit):
        programme.update_plan(plan, actor=vinh_long_officer, targets={"new_products": 10}, lock_token=token)
    assert dict(plan.targets.values_list("indicator", "value")) == {"new_products": 40}


@pytest.mark.unit
def test_check_unchanged_without_token_does_not_check(producer_org):
    check_unchanged(producer_org, None)
    with pytest.raises(StaleEdit):
        check_unchanged(producer_org, "1")


def test_fair_results_saved_from_a_stale_row_are_refused(
    client_for, vinh_long_officer, producer_org, ben_tre
):
    from ocop.market.models import Fair

    fair, participant = fair_with_participant(vinh_long_officer, ben_tre, producer_org)
    Fair.objects.filter(pk=fair.pk).update(
        starts_on=datetime.date(2022, 7, 20), ends_on=datetime.date(2022, 7, 26)
    )
    client = client_for(vinh_long_officer)
    page = client.get(f"/office/market/fairs/{fair.pk}/").content.decode()
    token = token_of(participant)
    assert f'name="lock_token" value="{token}"' in page
    url = f"/office/market/fairs/{fair.pk}/results/{participant.pk}/"

    client.post(
        url,
        {"contracts_count": 2, "contracts_value": 300, "sales_value": 45, "lock_token": token},
        follow=True,
    )
    stale = client.post(
        url, {"contracts_count": 9, "contracts_value": 1, "sales_value": 1, "lock_token": token}, follow=True
    )

    participant.refresh_from_db()
    assert (participant.contracts_count, participant.contracts_value, participant.sales_value) == (2, 300, 45)
    assert [str(m) for m in stale.context["messages"]] == [gettext(STALE)]


def test_rubric_editor_refuses_a_stale_save(client_for, vinh_long_officer):
    import json

    from ocop.criteria.models import Rubric

    rubric = Rubric.objects.get(criteria_set__code="QD148-2023", product_set=1)
    url = "/office/evaluation/criteria/QD148-2023/1/"
    client = client_for(vinh_long_officer)
    token = client.get(url).context["lock_token"]
    tree = json.dumps(rubric.tree, ensure_ascii=False)

    first = client.post(url, {"tree": tree, "lock_token": token})
    second = client.post(url, {"tree": tree, "lock_token": token})
    missing = client.post(url, {"tree": tree})

    assert (first.status_code, second.status_code, missing.status_code) == (302, 409, 409)
    assert ActivityLog.objects.filter(action="criteria.rubric.updated").count() == 1


def test_fair_products_chosen_from_a_stale_row_are_refused(
    client_for, vinh_long_officer, producer_org, ben_tre
):
    """#12 item 8: the products a participant shows at a fair, chosen in two tabs: the second save is refused."""
    fair, participant = fair_with_participant(vinh_long_officer, ben_tre, producer_org)
    first, second = ProductFactory(producer=producer_org), ProductFactory(producer=producer_org)
    client = client_for(vinh_long_officer)
    token = token_of(participant)
    assert (
        f'name="lock_token" value="{token}"'
        in client.get(f"/office/market/fairs/{fair.pk}/").content.decode()
    )
    url = f"/office/market/fairs/{fair.pk}/products/{participant.pk}/"

    client.post(url, {"products": [first.pk], LOCK_FIELD: token})
    stale = client.post(url, {"products": [second.pk], LOCK_FIELD: token}, follow=True)
    untokened = client.post(url, {"products": [second.pk]}, follow=True)

    assert list(participant.products.all()) == [first]
    assert escape(
        gettext("Someone saved this record after you opened the form")
    ) in stale.content.decode() or ("Có người đã lưu bản ghi này" in stale.content.decode())
    assert "Có người đã lưu bản ghi này" in untokened.content.decode()
    assert ActivityLog.objects.filter(action="market.fair.participant_products").count() == 1
