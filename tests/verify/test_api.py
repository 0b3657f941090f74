import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from ..stamps.helpers import serial_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_api_verify_stamp_exact_contract(client, batch):
    serial = serial_of(batch, 1)
    cert = batch.certificate

    body = client.get(f"/api/v1/verify/{serial}").json()

    assert body == {
        "status": "valid",
        "expiring": False,
        "product": "Kẹo dừa sáp Thanh Long",
        "producer": cert.product.producer.name,
        "star": 4,
        "valid_until": cert.valid_until.isoformat(),
        "certificate_number": cert.number,
        "code": serial,
        "kind": "stamp",
        "potential_5_star": False,
        "issued_on": cert.issued_on.isoformat(),
        "issuer": "UBND tỉnh Bến Tre",
        "since": None,
        "reason": None,
        "extended_until": None,
        "extension_basis": None,
        "gtin": None,
        "province": {"code": "83", "name": "Tỉnh Bến Tre"},
        "commune": {"code": "28756", "name": "Phường Phú Khương"},
        "batch": {"lot_number": "L-2026-07", "production_date": None, "best_before": None},
    }


def test_api_verify_unknown_code_answers_200_unknown(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/verify/1000001002D7XGZ71K9")

    assert (response.status_code, response.json()["status"], response.json()["certificate_number"]) == (
        200,
        "unknown",
        None,
    )


def test_api_verify_certificate_number(client, batch):
    body = client.get(f"/api/v1/verify/{batch.certificate.number}").json()

    assert (body["status"], body["kind"], body["certificate_number"]) == (
        "valid",
        "certificate",
        batch.certificate.number,
    )


@override_settings(VERIFY_RATE_PER_MINUTE=60, VERIFY_BURST=2)
def test_api_verify_rate_limited_per_client(client, stopped_clock):
    statuses = [client.get("/api/v1/verify/XYZ").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/verify/XYZ").json()["code"] == "rate_limited"


def test_gs1_digital_link_checks_the_gtin(client, batch):
    product = batch.product
    product.gtin = "8935000000019"
    product.save(update_fields=["gtin"])
    serial = serial_of(batch, 2)

    ok = client.get(f"/01/08935000000019/21/{serial}")
    wrong = client.get(f"/01/08935000000026/21/{serial}")

    assert (ok.status_code, ok.context["answer"]["status"]) == (200, "valid")
    assert (wrong.status_code, wrong.context["answer"]["status"]) == (404, "unknown")


@override_settings(STAMP_SCAN_LIMIT=2)
def test_repeated_scans_raise_one_signal_and_warn(client, batch):
    from ocop.stamps.models import CounterfeitSignal

    serial = serial_of(batch, 9)
    pages = [client.get(f"/v/{serial}", REMOTE_ADDR=f"10.0.0.{i}") for i in range(4)]  # 4 buyers

    assert [re.search(r'data-scans="(\d+)"', p.text).group(1) for p in pages] == ["1", "2", "3", "4"]
    assert ["scan-warn" in p.text for p in pages] == [False, False, True, True]
    assert list(CounterfeitSignal.objects.values_list("serial", "kind", "scans")) == [(serial, "repeated", 4)]
