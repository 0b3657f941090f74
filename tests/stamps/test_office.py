import pytest

from ocop.core.models import ActivityLog
from ocop.stamps import domain
from ocop.stamps.enums import BatchState
from ocop.stamps.models import StampBatch

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_producer_orders_and_office_approves(client_for, producer, vinh_long_officer, certificate):
    response = client_for(producer).post(
        "/office/stamps/order", {"product": certificate.product.pk, "quantity": "500", "lot_number": "L1"}
    )
    batch = StampBatch.objects.get()
    assert (response.status_code, batch.state, batch.quantity) == (302, "requested", 500)

    client_for(vinh_long_officer).post(f"/office/stamps/{batch.pk}/approve")

    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED
    assert list(ActivityLog.objects.filter(object_id=str(batch.pk)).values_list("action", flat=True)) == [
        "stamps.batch.approved",
        "stamps.batch.ordered",
    ]


@pytest.mark.parametrize("quantity", ["0", "1000001", "abc"])
def test_order_refuses_bad_quantity(client_for, producer, certificate, quantity):
    response = client_for(producer).post(
        "/office/stamps/order", {"product": certificate.product.pk, "quantity": quantity}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["quantity"]
    assert StampBatch.objects.count() == 0


def test_producer_cannot_approve_own_batch(client_for, producer, certificate):
    batch = domain.order_batch(certificate.product, actor=producer, quantity=10)

    response = client_for(producer).post(f"/office/stamps/{batch.pk}/approve")

    batch.refresh_from_db()
    assert (response.status_code, batch.state) == (403, "requested")


def test_other_province_sees_404(client_for, other_province_officer, batch):
    response = client_for(other_province_officer).get(f"/office/stamps/{batch.pk}/")
    block = client_for(other_province_officer).post(f"/office/stamps/{batch.pk}/block", {"reason": "x"})

    batch.refresh_from_db()
    assert (response.status_code, block.status_code, batch.state) == (404, 404, "approved")


def test_block_batch_turns_serials_red(client_for, client, vinh_long_officer, batch):
    from ..stamps.helpers import serial_of

    client_for(vinh_long_officer).post(f"/office/stamps/{batch.pk}/block", {"reason": "Lô tem bị mất"})

    answer = client.get(f"/v/{serial_of(batch, 1)}").context["answer"]
    assert (answer["status"], answer["reason"].endswith("Lô tem bị mất")) == ("revoked", True)


def test_csv_download_streams_for_owner(client_for, producer, batch):
    response = client_for(producer).get(f"/office/stamps/{batch.pk}/serials.csv")

    lines = b"".join(response.streaming_content).decode().split("\r\n")
    assert (response.status_code, lines[0], len(lines)) == (200, "serial,url", 102)


def test_counterfeit_dashboard_roles(client_for, vinh_long_officer, producer, batch):
    assert client_for(vinh_long_officer).get("/office/stamps/counterfeits/").status_code == 200
    assert client_for(producer).get("/office/stamps/counterfeits/").status_code == 403


def test_certificate_pages_scope(
    client_for, vinh_long_officer, other_province_officer, commune_officer, certificate
):
    ok = client_for(vinh_long_officer).get(f"/office/certificates/{certificate.pk}/")
    other = client_for(other_province_officer).get(f"/office/certificates/{certificate.pk}/")
    revoke = client_for(commune_officer).post(
        f"/office/certificates/{certificate.pk}/revoke",
        {"revoke-ground": "labelling", "revoke-decision_number": "1/QĐ", "revoke-revoked_on": "2026-11-01"},
    )

    certificate.refresh_from_db()
    assert (ok.status_code, other.status_code, revoke.status_code, certificate.revoked_on) == (
        200,
        404,
        403,
        None,
    )


def test_certificate_register_lists_with_status(
    client_for, vinh_long_officer, certificate, django_assert_num_queries
):
    client = client_for(vinh_long_officer)
    client.get("/office/certificates/")  # warm the session and permission caches

    response = client.get("/office/certificates/?status=valid")

    assert [c.number for c, _status in response.context["rows"]] == [certificate.number]
