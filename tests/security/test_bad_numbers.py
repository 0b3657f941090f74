"""#12 item 9: malformed or huge numbers, a decision number typed into the verify form and an oversized
JSON body give a clear 4xx (a Vietnamese page, or JSON `{"code", "message"}` from the API), never a 500."""

import json

import pytest
from django.test import Client

from ocop.core.params import BadParameter, int_list, int_param, page_param
from ocop.core.permissions import SYSTEM
from ocop.evaluation.models import Round
from tests.catalog.helpers import certify

pytestmark = pytest.mark.integration

HUGE = "99999999999999999999"


def anonymous():
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.mark.unit
@pytest.mark.parametrize("raw", [HUGE, "²", "-1", "1.5", " 12x", "0x10", "99999999999999999999999999"])
def test_int_param_refuses_what_is_not_a_whole_number_in_range(raw):
    with pytest.raises(BadParameter):
        int_param({"round": raw}, "round", minimum=1, maximum=2**63 - 1)


@pytest.mark.unit
def test_int_param_reads_digits_and_blank():
    got = (int_param({"n": " 42 "}, "n"), int_param({"n": ""}, "n"), int_param({}, "n", default=7))
    assert got == (42, None, 7)
    assert int_list(["3", "²", HUGE, "x", "0", "12"]) == [3, 12]
    assert (page_param("x"), page_param("9"), page_param(None)) == ("x", "9", "")


def test_verify_form_with_a_decision_number_explains_instead_of_500(db):
    response = anonymous().get("/v/", {"code": "1520/QD-UBND"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert (response.status_code, "“1520/QD-UBND” giống số quyết định" in html) == (400, True)


def test_verify_form_still_redirects_a_code(db):
    response = anonymous().get("/v/", {"code": " 83-00001 -2024 "})
    assert (response.status_code, response["Location"]) == (302, "/v/83-00001-2024")


def test_catalogue_page_too_large_is_400(admin_units):
    certify(name="Kẹo dừa")
    response = anonymous().get("/products/", {"page": HUGE}, HTTP_ACCEPT_LANGUAGE="vi")
    assert (response.status_code, "Số trang quá lớn." in response.content.decode()) == (400, True)


def test_api_products_page_too_large_is_422_json(admin_units):
    response = anonymous().get("/api/v1/products", {"page": HUGE})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")


def test_api_products_largest_page_is_an_empty_page(admin_units):
    response = anonymous().get("/api/v1/products", {"page": str(2**31 - 1)})
    assert (response.status_code, response.json()["items"]) == (200, [])


def test_map_page_product_too_large_is_400_html(admin_units):
    response = anonymous().get("/map/", {"product": HUGE}, HTTP_ACCEPT_LANGUAGE="vi")
    assert (
        response.status_code,
        response["Content-Type"].split(";")[0],
        "product" in response.content.decode(),
    ) == (
        400,
        "text/html",
        True,
    )


@pytest.mark.parametrize("value", [HUGE, "abc", "-3"])
def test_map_data_bad_product_is_400_json(admin_units, value):
    """The data URL map.js reads answers its errors in JSON, like the API (was the HTML 400 page)."""
    response = anonymous().get("/map/data.json", {"product": value}, HTTP_ACCEPT_LANGUAGE="vi")
    body = response.json()
    assert (response.status_code, response["Content-Type"], body["code"], "product" in body["message"]) == (
        400,
        "application/json",
        "bad_parameter",
        True,
    )


def test_api_sale_points_product_too_large_is_422(admin_units):
    response = anonymous().get("/api/v1/sale-points", {"product": HUGE})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")


@pytest.mark.parametrize("path", [f"/products/{HUGE}/", f"/products/{HUGE}/keo-dua/"])
def test_product_page_with_an_impossible_id_is_404(admin_units, path):
    assert anonymous().get(path).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_office_dossier_filter_round_too_large_is_400(client_for, province_officer, value):
    client = client_for(province_officer)
    client.raise_request_exception = False
    response = client.get("/office/evaluation/dossiers/", {"round": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert (response.status_code, "Đợt không phải là một số hợp lệ." in response.content.decode()) == (
        400,
        True,
    )


def test_office_product_set_filter_too_large_is_400(client_for, province_officer):
    client = client_for(province_officer)
    client.raise_request_exception = False
    response = client.get("/office/products/", {"product_set": HUGE}, HTTP_ACCEPT_LANGUAGE="vi")
    assert (response.status_code, "phải là số nguyên từ 0 đến 32767" in response.content.decode()) == (
        400,
        True,
    )


@pytest.mark.parametrize("quorum", ["70000", "0", "-3", "abc"])
def test_round_with_an_impossible_quorum_is_refused_with_a_message(
    client_for, vinh_long_officer, vinh_long, quorum
):
    client = client_for(vinh_long_officer)  # rounds are opened on the current map
    response = client.post(
        "/office/evaluation/rounds/new/",
        {
            "province": vinh_long.pk,
            "criteria_set": "QD26-2026",
            "name": "Đợt 1",
            "submission_deadline": "01/03/2027",
            "review_deadline": "01/04/2027",
            "council_date": "01/05/2027",
            "quorum": quorum,
        },
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert (Round.objects.count(), shown) == (0, ["Số phiếu tối thiểu phải là số nguyên từ 1 đến 50."])


def test_round_domain_refuses_quorum_out_of_range(ben_tre):
    import datetime

    from ocop.core.errors import DomainError
    from ocop.criteria.models import CriteriaSet
    from ocop.evaluation import domain

    demo = CriteriaSet.objects.get(code="QD26-2026")
    day = datetime.date(2027, 3, 1)
    with pytest.raises(DomainError) as refused:
        domain.create_round(
            actor=SYSTEM,
            province=ben_tre,
            name="Đợt",
            year=2027,
            criteria_set=demo,
            submission_deadline=day,
            review_deadline=day,
            council_date=day,
            quorum=70000,
        )
    assert (refused.value.code, Round.objects.count()) == ("bad_quorum", 0)


def test_oversized_json_body_to_the_score_endpoint_is_413_json(db, settings):
    body = json.dumps({"answers": {"x": "y" * (11 * 1024 * 1024)}})
    response = anonymous().post(
        "/api/v1/criteria-sets/QD1048-2019/1/score", body, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"], "Traceback" in response.content.decode()) == (
        413,
        "too_large",
        False,
    )


def test_out_of_range_number_in_a_path_is_a_json_4xx(admin_units):
    response = anonymous().get(f"/api/v1/producers/{HUGE}")
    assert response.status_code in (400, 404)
    assert set(response.json()) == {"code", "message"}


@pytest.mark.parametrize(
    "path", ["/practice/?product_set=²", "/office/geo/picker/?province=²&commune=99999999999999999999"]
)
def test_junk_numbers_in_choices_fall_back_instead_of_500(db, path):
    response = anonymous().get(path)
    assert response.status_code == 200
