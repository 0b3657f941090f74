import datetime

import pytest
from django.core.cache import cache

from ocop.certificates.domain import revoke_certificate
from ocop.certificates.enums import RevocationGround
from ocop.core.dates import today
from ocop.stamps.models import Scan

from ..stamps.helpers import serial_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_verify_page_valid_serial_shows_verdict_and_logs_scan(client, batch):
    serial = serial_of(batch, 7)

    response = client.get(f"/v/{serial}", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile")

    assert response.status_code == 200
    assert response.context["answer"]["status"] == "valid"
    assert "CHÍNH HÃNG" in response.text or "GENUINE" in response.text
    assert "Kẹo dừa sáp Thanh Long" in response.text
    assert list(Scan.objects.values_list("serial", "batch_id", "verdict", "device")) == [
        (serial, batch.pk, "valid", "mobile")
    ]


def test_verify_page_forged_serial_costs_no_query(client, batch, django_assert_num_queries):
    serial = serial_of(batch, 7)
    forged = serial[:-1] + ("0" if serial[-1] != "0" else "1")

    with django_assert_num_queries(0):
        response = client.get(f"/v/{forged}")

    assert response.status_code == 404
    assert response.context["answer"]["status"] == "unknown"
    assert Scan.objects.count() == 0


def test_verify_page_revoked_certificate_turns_stamp_red(
    client, batch, vinh_long_officer, django_capture_on_commit_callbacks
):
    serial = serial_of(batch, 3)
    client.get(f"/v/{serial}")  # cached as valid
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(
            batch.certificate,
            actor=vinh_long_officer,
            ground=RevocationGround.LAW_VIOLATION,
            decision_number="55/QĐ-UBND",
            concluded_on=today() - datetime.timedelta(days=1),
            revoked_on=today() - datetime.timedelta(days=1),
        )

    response = client.get(f"/v/{serial}")

    assert response.context["answer"]["status"] == "revoked"
    assert response.context["answer"]["since"] == today() - datetime.timedelta(days=1)
