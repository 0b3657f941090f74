"""Item 5 of issue #12: a household business's tax code, street address, representative and
coordinates never appear in a public output; one rule (ocop.registry.privacy) decides."""

import decimal

import pytest
from django.core.cache import cache

from ocop.certificates.models import Certificate
from ocop.registry.enums import ProducerKind
from ocop.registry.privacy import public_producer
from tests.catalog.helpers import certify
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.integration

TAX_CODE = "8012345678"  # a household's tax code is the owner's personal number
STREET = "Số 12 hẻm 3 ấp Phú Lợi"
REPRESENTATIVE = "Nguyễn Thị Hộ"


def _producer(kind, **extra):
    return ProducerFactory(
        kind=kind,
        name=f"Cơ sở {kind}",
        tax_code=extra.pop("tax_code", TAX_CODE),
        address=STREET,
        representative=REPRESENTATIVE,
        phone="0909123456",
        phone_public=extra.pop("phone_public", False),
        latitude=decimal.Decimal("10.241234"),
        longitude=decimal.Decimal("106.375678"),
        **extra,
    )


@pytest.fixture
def household(admin_units):
    cache.clear()
    producer = _producer(ProducerKind.HOUSEHOLD)
    product = certify(ProductFactory(producer=producer, name="Bánh phồng sữa"))
    return producer, product, Certificate.objects.get(product=product)


def _leaks(text):
    return [
        secret
        for secret in (TAX_CODE, STREET, REPRESENTATIVE, "0909123456", "106.375678", "106.3756")
        if secret in text
    ]


def test_household_rule_hides_personal_details(admin_units):
    producer = _producer(ProducerKind.HOUSEHOLD)
    assert public_producer(producer) == {
        "tax_code": None,
        "address": "",
        "representative": "",
        "phone": None,
        "location": None,
    }


def test_organisation_rule_shows_business_details(admin_units):
    producer = _producer(ProducerKind.COOPERATIVE, tax_code="1300999999", phone_public=True)
    assert public_producer(producer) == {
        "tax_code": "1300999999",
        "address": STREET,
        "representative": REPRESENTATIVE,
        "phone": "0909123456",
        "location": (10.241234, 106.375678),
    }


def test_household_verify_page_by_certificate_number_hides_tax_code_and_address(client, household):
    _producer_obj, _product, certificate = household
    response = client.get(f"/v/{certificate.number}")
    text = response.content.decode()
    assert (response.status_code, "Bánh phồng sữa" in text, _leaks(text)) == (200, True, [])


def test_household_verify_api_hides_tax_code_and_address(client, household):
    _producer_obj, _product, certificate = household
    response = client.get(f"/api/v1/verify/{certificate.number}")
    assert (response.status_code, response.json()["status"], _leaks(response.content.decode())) == (
        200,
        "valid",
        [],
    )


def test_household_producer_and_product_pages_hide_tax_code_and_address(client, household):
    producer, product, _certificate = household
    producer_page = client.get(f"/producers/{producer.pk}/", follow=True)
    product_page = client.get(f"/products/{product.pk}/", follow=True)
    assert (
        producer_page.status_code,
        _leaks(producer_page.content.decode()),
        product_page.status_code,
        "Bánh phồng sữa" in product_page.content.decode(),
        _leaks(product_page.content.decode()),
    ) == (200, [], 200, True, [])


def test_household_producer_api_hides_address(client, household):
    producer, product, _certificate = household
    response = client.get(f"/api/v1/producers/{producer.pk}")
    body = response.json()
    assert (
        response.status_code,
        body["address"],
        body["phone"],
        body["products"],
        _leaks(response.content.decode()),
    ) == (
        200,
        "",
        None,
        [product.pk],
        [],
    )


def test_household_is_off_the_public_map_and_open_data(client, household):
    data = client.get("/map/data.json").json()
    csv = client.get("/open-data/ocop-products.csv")
    assert (
        [p["id"] for p in data["producers"]],
        _leaks(client.get("/map/data.json").content.decode()),
        csv.status_code,
        _leaks(b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()),
    ) == ([], [], 200, [])


def test_organisation_verify_page_shows_its_business_code(client, admin_units):
    cache.clear()
    producer = _producer(ProducerKind.COOPERATIVE, tax_code="1300999999")
    product = certify(ProductFactory(producer=producer))
    certificate = Certificate.objects.get(product=product)
    text = client.get(f"/v/{certificate.number}").content.decode()
    assert ("1300999999" in text, STREET in text) == (True, True)
