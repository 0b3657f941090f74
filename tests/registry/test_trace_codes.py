"""Traceability facts: growing-area and facility codes recorded by the office (logged), shown on the
product and verify pages and appended to open data."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.catalog.opendata import COLUMNS, rows
from ocop.catalog.slugs import slug_for
from ocop.core.dates import today
from ocop.core.models import ActivityLog
from ocop.registry.models import TraceCode
from tests.catalog.helpers import certify

pytestmark = pytest.mark.integration

FORM = {
    "kind": "growing_area",
    "code": "VN-BTRE-0012",
    "issuer": "Chi cục Trồng trọt và BVTV tỉnh Bến Tre",
    "issued_on": "15/03/2024",
    "valid_until": "",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def product(producer_org):
    return certify(producer=producer_org, name="Bưởi da xanh")


def _post(client, product, data=FORM):
    return client.post(f"/office/products/{product.pk}/trace-codes/", data)


def test_office_records_a_growing_area_code_and_logs_it(client_for, vinh_long_officer, product):
    response = _post(client_for(vinh_long_officer), product)
    assert response.status_code == 302
    assert list(TraceCode.objects.values_list("kind", "code", "issuer", "issued_on")) == [
        ("growing_area", "VN-BTRE-0012", FORM["issuer"], datetime.date(2024, 3, 15))
    ]
    log = ActivityLog.objects.get(action="registry.trace_code.added")
    assert (log.actor, log.data["code"]) == (vinh_long_officer, "VN-BTRE-0012")


def test_other_province_gets_404_and_producer_403(client_for, other_province_officer, producer, product):
    assert _post(client_for(other_province_officer), product).status_code == 404
    assert _post(client_for(producer), product).status_code == 403
    assert TraceCode.objects.count() == 0


def test_incomplete_code_is_refused_with_a_message(client_for, vinh_long_officer, product):
    response = _post(client_for(vinh_long_officer), product, {**FORM, "issuer": ""})
    assert (response.status_code, TraceCode.objects.count()) == (302, 0)


def test_codes_show_on_product_and_verify_pages_and_in_open_data(client_for, vinh_long_officer, product):
    _post(client_for(vinh_long_officer), product)
    _post(client_for(vinh_long_officer), product, {**FORM, "kind": "facility", "code": "CSĐG-83-007"})
    product_html = Client().get(f"/products/{product.pk}/{slug_for(product.name)}/").content.decode()
    verify_html = Client().get(f"/v/{product.certificates.get().number}").content.decode()
    row = next(r for r in rows(today()) if r["product_id"] == product.pk)
    assert ("VN-BTRE-0012" in product_html, "CSĐG-83-007" in product_html) == (True, True)
    assert ("VN-BTRE-0012" in verify_html, "CSĐG-83-007" in verify_html) == (True, True)
    assert COLUMNS[-3:] == ["url", "growing_area_codes", "facility_codes"]
    assert (row["growing_area_codes"], row["facility_codes"]) == (
        f"VN-BTRE-0012 ({FORM['issuer']}, 2024-03-15)",
        f"CSĐG-83-007 ({FORM['issuer']}, 2024-03-15)",
    )
