"""#14 item 1: an account scoped to a former (pre-1/7/2025) province reads and changes nothing, in
every area, with one message ("Tài khoản của tỉnh cũ chỉ xem…"); the current Vĩnh Long officer does
the same thing successfully. One rule: `ocop.accounts.rules.add_write_perm` / `read_only`."""

import pytest

from ocop.accounts.rules import WRITE_PERMS, read_only
from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.errors import NotAllowed
from ocop.core.models import ActivityLog
from ocop.evaluation import domain as evaluation
from ocop.evaluation.models import Dossier
from ocop.programme import domain as programme
from ocop.registry.models import Producer
from ocop.stamps.models import StampBatch
from tests.catalog.helpers import certify
from tests.evaluation.conftest import complete_dossier, forward
from tests.factories import UserFactory, unit, with_role

pytestmark = pytest.mark.integration

MESSAGE = "Tài khoản của tỉnh cũ chỉ xem"


@pytest.fixture
def forwarded(draft, producer, commune_officer):
    complete_dossier(draft, producer)
    evaluation.submit_dossier(draft, actor=producer)
    return forward(draft, commune_officer)


def _refused(response):
    return (response.status_code, MESSAGE in response.content.decode())


def _legacy_and_current(client_for, url, legacy_officer, current_officer):
    """((status, MESSAGE shown) for the former province's officer, status for the current one) on `url`."""
    legacy, current = client_for(legacy_officer).get(url), client_for(current_officer).get(url)
    return _refused(legacy), current.status_code


def test_the_rule_legacy_is_read_only_current_and_mixed_are_not(province_officer, vinh_long_officer, ben_tre):
    both = with_role(UserFactory(username="both"), "province_officer", unit=ben_tre)
    with_role(both, "province_officer", unit=unit("86", map="current"))
    root = UserFactory(username="root", is_superuser=True)
    assert [read_only(u) for u in (province_officer, vinh_long_officer, both, root)] == [
        True,
        False,
        False,
        False,
    ]


def test_every_write_permission_goes_through_the_rule():
    # a sample of each area: registry, accounts, evaluation, certificates, stamps, programme, market, api
    assert {
        "registry.change_producer",
        "registry.change_product",
        "accounts.manage_staff",
        "accounts.move_roles",
        "evaluation.manage_dossier",
        "evaluation.appraise_dossier",
        "evaluation.manage_round",
        "evaluation.sign_decision",
        "certificates.revoke_certificate",
        "stamps.order_batch",
        "stamps.approve_batch",
        "programme.manage_plan",
        "market.change_salepoint",
        "api.change_token",
    } <= set(WRITE_PERMS)


def test_dossier_actions_legacy_403_successor_acts(
    client_for, province_officer, vinh_long_officer, forwarded
):
    url = f"/office/evaluation/dossiers/{forwarded.pk}/samples/"
    data = {"count": "5", "received_on": today().strftime("%d/%m/%Y")}
    legacy = client_for(province_officer).post(url, data)
    assert (_refused(legacy), Dossier.objects.get(pk=forwarded.pk).samples_received) == ((403, True), 0)
    with pytest.raises(NotAllowed) as caught:
        evaluation.appraise_dossier(forwarded, actor=province_officer, note="Đủ", comments={})
    assert (caught.value.status, caught.value.code) == (403, "legacy_unit")
    current = client_for(vinh_long_officer).post(url, data)
    assert (current.status_code, Dossier.objects.get(pk=forwarded.pk).samples_received) == (302, 5)


def test_round_management_legacy_403(client_for, province_officer, vinh_long_officer, round_):
    url = f"/office/evaluation/rounds/{round_.pk}/edit/"
    assert _refused(client_for(province_officer).get(url)) == (403, True)
    assert client_for(vinh_long_officer).get(url).status_code == 200


def test_revoke_certificate_legacy_403_successor_revokes(
    client_for, province_officer, vinh_long_officer, producer_org
):
    cert = certify(producer=producer_org, star=4).certificates.get()
    data = {
        "revoke-ground": "mark_misuse",
        "revoke-decision_number": "12/QĐ-UBND",
        "revoke-revoked_on": today().isoformat(),
        "revoke-concluded_on": today().isoformat(),
        "revoke-note": "",
        "revoke-confirm": "on",
    }
    legacy = client_for(province_officer).post(f"/office/certificates/{cert.pk}/revoke", data)
    assert (_refused(legacy), Certificate.objects.get(pk=cert.pk).revoked_on) == ((403, True), None)
    client_for(vinh_long_officer).post(f"/office/certificates/{cert.pk}/revoke", data)
    assert ActivityLog.objects.filter(action="certificates.certificate.revoked").count() == 1


@pytest.mark.parametrize("kind", ["producer", "product", "sale_point"])
def test_registry_edit_legacy_403_successor_200(
    client_for, province_officer, vinh_long_officer, producer_org, sale_point, kind
):
    certified = certify(producer=producer_org)
    url = {
        "producer": f"/office/producers/{producer_org.pk}/edit/",
        "product": f"/office/products/{certified.pk}/edit/",
        "sale_point": f"/office/market/sale-points/{sale_point.pk}/edit/",
    }[kind]
    assert _legacy_and_current(client_for, url, province_officer, vinh_long_officer) == ((403, True), 200)


def test_producer_status_legacy_403(client_for, province_officer, producer_org):
    response = client_for(province_officer).post(
        f"/office/producers/{producer_org.pk}/status/", {"status": "inactive", "note": "x"}
    )
    assert (_refused(response), Producer.objects.get(pk=producer_org.pk).status) == (
        (403, True),
        producer_org.status,
    )


def test_stamp_order_legacy_refused_successor_orders(
    client_for, province_officer, vinh_long_officer, producer_org
):
    certified = certify(producer=producer_org)
    data = {"product": certified.pk, "quantity": "100", "lot_number": "L1"}
    legacy = client_for(province_officer).post("/office/stamps/order", data)
    assert (legacy.status_code, StampBatch.objects.count()) == (403, 0)
    client_for(vinh_long_officer).post("/office/stamps/order", data)
    assert StampBatch.objects.count() == 1


def test_plan_edit_legacy_refused_successor_edits(client_for, province_officer, vinh_long_officer, ben_tre):
    plan = programme.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2026, title="KH 2026")
    with pytest.raises(NotAllowed) as caught:
        programme.create_plan(actor=province_officer, unit=ben_tre, year=2027, title="KH 2027")
    assert caught.value.code == "legacy_unit"
    url = f"/office/programme/plans/{plan.pk}/edit/"
    assert _legacy_and_current(client_for, url, province_officer, vinh_long_officer) == ((403, True), 200)


def test_legacy_officer_still_reads(client_for, province_officer, forwarded, producer_org):
    client = client_for(province_officer)
    pages = [
        f"/office/evaluation/dossiers/{forwarded.pk}/",
        f"/office/producers/{producer_org.pk}/",
        "/office/certificates/",
        "/office/",
    ]
    assert [client.get(p).status_code for p in pages] == [200, 200, 200, 200]
