import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.integration

Q = "?province=83&as_of=2022-07-31"


def test_dashboard_shows_the_province_figures(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/" + Q)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["products"], figures["producers"], figures["communes_with_products"]) == (4, 3, 2)
    assert [(k["key"], k["value"]) for k in response.context["kpis"]][:6] == [
        ("products", 4),
        ("star3", 2),
        ("star4", 2),
        ("star5", 0),
        ("potential", 1),
        ("producers", 3),
    ]


def test_dashboard_defaults_to_the_officers_province(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/?as_of=2022-07-31")

    assert response.context["scope"].unit.code == "83"


def test_dashboard_bad_date_shows_a_message(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/?province=83&as_of=99/99/2022")

    assert response.status_code == 200
    assert (
        response.context["error"]
        == "Ngày 99/99/2022 không hợp lệ; hãy ghi theo dạng YYYY-MM-DD hoặc dd/mm/yyyy."
    )


def test_dashboard_other_province_is_404(world, other_province_officer, client_for):
    assert client_for(other_province_officer).get("/office/reports/" + Q).status_code == 404


def test_dashboard_producer_is_403(world, producer, client_for):
    assert client_for(producer).get("/office/reports/" + Q).status_code == 403


def test_kpi_list_filters_by_star(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/list/" + Q + "&star=4")

    assert [c.product.name for c in response.context["page"]] == ["Nước mắm", "Rượu dừa"]


def test_kpi_list_producers_view(world, province_officer, client_for):
    response = client_for(province_officer).get(
        "/office/reports/list/" + Q + "&view=producers&kind=household"
    )

    assert [(e["producer"].pk, e["products"]) for e in response.context["page"]] == [
        (world.producers["house"].pk, 1)
    ]


def test_download_xlsx(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/download.xlsx" + Q)

    assert response["Content-Disposition"] == 'attachment; filename="ocop-report-83-2022-07-31.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[1]["B2"].value == 4


def test_download_other_province_is_404(world, other_province_officer, client_for):
    assert client_for(other_province_officer).get("/office/reports/download.pdf" + Q).status_code == 404


def test_national_export_csv(world, province_officer, client_for):
    response = client_for(province_officer).get("/office/reports/national.csv" + Q)

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:5] == ["unit_code", "province_code", "period", "product_code", "product_name"]
    statuses = sorted(line.rsplit(",", 1)[1] for line in lines[1:])
    assert statuses == ["expired", "revoked", "valid", "valid", "valid", "valid"]


def test_national_export_refused_to_commune_officer(world, commune_officer, client_for):
    assert client_for(commune_officer).get("/office/reports/national.xlsx" + Q).status_code == 403


def test_public_dashboard_hides_private_data(world):
    response = Client().get("/statistics/" + Q)

    assert response.status_code == 200
    assert response.context["figures"]["products"] == 4
    assert world.certs["candy"].number not in response.content.decode()
    assert "expiring" not in [k["key"] for k in response.context["kpis"]]


def test_public_list_shows_products_without_certificate_numbers(world):
    response = Client().get("/statistics/products/" + Q + "&potential=1")

    assert [c.product.name for c in response.context["page"]] == ["Rượu dừa"]
    assert world.certs["wine"].number not in response.content.decode()


def test_public_dashboard_unknown_province_falls_back_with_message(world):
    response = Client().get("/statistics/?province=99&as_of=2022-07-31")

    assert response.status_code == 200
    assert response.context["scope"].unit is None
    assert "99" in response.context["error"]
