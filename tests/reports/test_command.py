import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.integration


def report(*args):
    out = io.StringIO()
    call_command("ocop_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_ocop_report_text_states_the_figures(world):
    text = report("--province", "83", "--as-of", "2022-07-31")

    assert "Tính đến ngày 31/07/2022, toàn tỉnh có 4 sản phẩm OCOP của 3 chủ thể" in text
    assert "2 sản phẩm đạt 3 sao và 2 sản phẩm đạt 4 sao" in text
    assert "1 sản phẩm được đánh giá tiềm năng 5 sao" in text
    assert "2/148 đơn vị cấp xã" in text
    assert "đạt 1,35%" in text
    assert "148 đơn vị hành chính cấp xã" in text


def test_ocop_report_xlsx_is_reproducible_with_sheets(world, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"

    report("--province", "83", "--as-of", "2022-07-31", "--format", "xlsx", "--output", str(first))
    report("--province", "83", "--as-of", "2022-07-31", "--format", "xlsx", "--output", str(second))

    assert first.read_bytes() == second.read_bytes()
    book = load_workbook(first)
    assert len(book.sheetnames) == 7
    products = book.worksheets[6]
    assert products.freeze_panes == "A2"
    assert [c.value for c in products[1]][:2] == ["STT", "Sản phẩm"]
    assert products.max_row == 1 + 4
    summary = book.worksheets[1]
    assert [summary["A2"].value, summary["B2"].value, summary["B2"].number_format] == [
        "Sản phẩm được chứng nhận (từ 3 sao)",
        4,
        "#,##0",
    ]
    assert zipfile.ZipFile(first).getinfo("docProps/core.xml").date_time == (2020, 1, 1, 0, 0, 0)


def test_ocop_report_pdf(world, tmp_path):
    path = tmp_path / "r.pdf"

    report("--province", "83", "--as-of", "2022-07-31", "--format", "pdf", "--output", str(path))

    assert path.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--province", "83", "--as-of", "2022-13-01"], "2022-13-01"),
        (["--province", "87", "--as-of", "2025-08-01"], "87"),
        (["--province", "83", "--as-of", "2022-07-31", "--format", "xlsx"], "--output"),
        (["--province", "Ben Tre", "--as-of", "2022-07-31"], "GSO"),
    ],
)
def test_ocop_report_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError) as excinfo:
        report(*args)

    assert message in str(excinfo.value)
