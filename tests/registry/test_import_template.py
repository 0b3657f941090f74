"""The office downloads an import template whose header and example row the importer accepts."""

import io

import pytest
from openpyxl import load_workbook

from ocop.certificates.importer import COLUMNS, REQUIRED, import_products

pytestmark = pytest.mark.integration


def test_template_downloads_and_its_example_imports(client_for, province_officer):
    response = client_for(province_officer).get("/office/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert (response.status_code, response["Content-Disposition"]) == (
        200,
        'attachment; filename="mau-nhap-san-pham-ocop.xlsx"',
    )
    assert header == [label + ("*" if key in REQUIRED else "") for key, (label, _v) in COLUMNS.items()]
    result = import_products(io.BytesIO(response.content), actor=province_officer, dry_run=True)
    assert (result.ok, result.created["products"], sheet.max_row) == (True, 1, 2)


def test_template_refused_to_producer_403(client_for, producer):
    assert client_for(producer).get("/office/import/template.xlsx").status_code == 403


def test_import_page_links_the_template(client_for, province_officer):
    html = client_for(province_officer).get("/office/import/").content.decode()
    assert 'href="/office/import/template.xlsx"' in html
