import datetime

import pytest
from django.db import connection
from django.test import Client

from tests.catalog.helpers import certify
from tests.factories import CertificateFactory, ProductFactory

pytestmark = pytest.mark.integration


def test_products_exact_item_shape(admin_units):
    product = certify(name="Kẹo dừa sữa", star=4, potential=True)
    cert = product.certificates.get()
    body = Client().get("/api/v1/products?q=dua%20keo").json()
    assert body == {
        "count": 1,
        "page": 1,
        "page_size": 50,
        "items": [
            {
                "id": product.pk,
                "name": "Kẹo dừa sữa",
                "product_set": 7,
                "producer": {"id": product.producer.pk, "name": product.producer.name, "kind": "cooperative"},
                "province": {"code": "86", "name": "Tỉnh Vĩnh Long"},
                "commune": {
                    "code": product.producer.current_commune.code,
                    "name": product.producer.current_commune.name,
                },
                "certificate": {
                    "number": cert.number,
                    "star": 4,
                    "status": "valid",
                    "valid_until": (cert.expires_on - datetime.timedelta(days=1)).isoformat(),
                    "potential_5_star": True,
                },
                "trace_codes": [],
            }
        ],
    }


def test_products_carry_their_trace_codes_exactly(admin_units):
    """#14 item 3: growing-area and facility codes in the product JSON (an additive field, §6)."""
    from ocop.registry.models import TraceCode

    product = certify(name="Bưởi da xanh", star=4)
    certify(name="Kẹo dừa")  # a product without codes: []
    TraceCode.objects.create(
        product=product,
        kind="facility",
        code="CSĐG-86-007",
        issuer="Chi cục Quản lý chất lượng NLS và TS",
        issued_on=datetime.date(2025, 8, 1),
    )
    TraceCode.objects.create(
        product=product,
        kind="growing_area",
        code="VN-BTRE-0012",
        issuer="Chi cục Trồng trọt và BVTV tỉnh Bến Tre",
        issued_on=datetime.date(2024, 3, 15),
        valid_until=datetime.date(2027, 3, 14),
    )
    expected = [  # by kind, then date (the register's order)
        {
            "kind": "facility",
            "code": "CSĐG-86-007",
            "issuer": "Chi cục Quản lý chất lượng NLS và TS",
            "issued_on": "2025-08-01",
            "valid_until": None,
        },
        {
            "kind": "growing_area",
            "code": "VN-BTRE-0012",
            "issuer": "Chi cục Trồng trọt và BVTV tỉnh Bến Tre",
            "issued_on": "2024-03-15",
            "valid_until": "2027-03-14",
        },
    ]
    items = Client().get("/api/v1/products").json()["items"]
    detail = Client().get(f"/api/v1/products/{product.pk}").json()
    assert [(i["name"], i["trace_codes"]) for i in items] == [("Bưởi da xanh", expected), ("Kẹo dừa", [])]
    assert detail["trace_codes"] == expected


def test_products_schema_declares_trace_codes(admin_units):
    schema = Client().get("/api/v1/openapi.json").json()
    item = schema["components"]["schemas"]["ProductItem"]
    code = schema["components"]["schemas"]["TraceCodeOut"]
    assert (item["required"][-1], item["properties"]["trace_codes"]["items"]) == (
        "trace_codes",
        {"$ref": "#/components/schemas/TraceCodeOut"},
    )
    assert sorted(code["properties"]) == ["code", "issued_on", "issuer", "kind", "valid_until"]


def test_products_as_of_past_day_uses_legacy_map(admin_units):
    product = ProductFactory(name="Cá khô Bông Lau")
    CertificateFactory(product=product, star=4)  # 2022-05-10 .. 2025-05-10
    body = Client().get("/api/v1/products?as_of=2022-07-31&province=83&star=4").json()
    assert [(i["name"], i["province"]["code"], i["commune"]["code"]) for i in body["items"]] == [
        ("Cá khô Bông Lau", "83", "28756")
    ]
    assert (
        Client().get("/api/v1/products?province=83").json()["code"] == "unknown_province"
    )  # not on today's map


def test_products_paging(admin_units):
    for i in range(3):
        certify(name=f"Kẹo dừa {i}")
    body = Client().get("/api/v1/products?page=2&page_size=2").json()
    assert (body["count"], body["page"], body["page_size"], [i["name"] for i in body["items"]]) == (
        3,
        2,
        2,
        ["Kẹo dừa 2"],
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("star=6", "bad_star"),
        ("as_of=2022-13-45", "bad_date"),
        ("province=99", "unknown_province"),
        ("page=0", "validation_error"),
        ("page_size=501", "validation_error"),
        ("page=abc", "validation_error"),
    ],
)
def test_products_bad_input_is_422_json(admin_units, query, code):
    response = Client().get(f"/api/v1/products?{query}")
    assert (response.status_code, response.json()["code"], isinstance(response.json()["message"], str)) == (
        422,
        code,
        True,
    )


def test_product_detail_hides_private_fields(admin_units):
    product = certify(name="Kẹo dừa sữa")
    body = Client().get(f"/api/v1/products/{product.pk}").json()
    producer = Client().get(f"/api/v1/producers/{product.producer.pk}").json()
    assert (body["name"], body["certificates"][0]["status"]) == ("Kẹo dừa sữa", "valid")
    assert ("tax_code" in producer, producer["phone"], producer["products"]) == (False, None, [product.pk])


def test_product_detail_unknown_is_404_json(admin_units):
    response = Client().get("/api/v1/products/999999")
    assert (response.status_code, response.json()) == (404, {"code": "not_found", "message": "Not found."})


def test_products_list_query_count(admin_units, django_assert_num_queries):
    for i in range(3):
        certify(name=f"Kẹo dừa {i}")
    # read-model count, page of read-model rows joined with communes and provinces, the page's trace codes
    with django_assert_num_queries(3):
        Client().get("/api/v1/products")


@pytest.mark.django_db
def test_a_nul_character_is_bad_input_not_a_server_error(client, admin_units):
    """PostgreSQL refuses a text holding NUL (0x00): the API says 422 with its JSON error; SQLite stores such
    text and simply finds no certificate (404). Never a 500."""
    response = client.get("/api/v1/certificates/A%00B")
    if connection.vendor == "postgresql":
        assert response.status_code == 422
        assert response.json()["code"] == "bad_parameter"
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
