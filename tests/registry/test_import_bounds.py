"""#12 item 11: a workbook import reads a bounded number of rows (IMPORT_MAX_ROWS, blank rows included)
and a bounded expanded size (IMPORT_MAX_EXPANDED_MB), and refuses more with a message; the sheet's
claimed size is not trusted. The files are small, the limits lowered: without the bounds these imports
would succeed (or take minutes at the real sizes: three million blank rows held a request for 50 s)."""

import io

import pytest
from django.test import override_settings

from ocop.certificates.importer import ImportFileError, read_workbook

from .xlsx import row, with_blank_rows, workbook_bytes

pytestmark = pytest.mark.integration

GOOD = [row(**{"Tên sản phẩm": f"Kẹo dừa {i}"}) for i in range(3)]


def names(data):
    return [cells["product"] for _number, cells in data]


@override_settings(IMPORT_MAX_ROWS=1000)
def test_blank_rows_beyond_the_row_limit_are_refused_with_a_message(db):
    workbook = with_blank_rows(workbook_bytes(GOOD), 20_000)

    with pytest.raises(ImportFileError) as refused:
        read_workbook(io.BytesIO(workbook))

    assert refused.value.message == (
        "Trang tính đầu tiên có hơn 1.000 dòng dưới dòng tiêu đề (kể cả dòng trống). "
        "Hãy xoá các dòng trống bên dưới dữ liệu, hoặc chia thành nhiều tệp."
    )


@override_settings(IMPORT_MAX_ROWS=1000)
def test_blank_rows_within_the_limit_are_skipped(db):
    workbook = with_blank_rows(workbook_bytes(GOOD), 900)

    assert names(read_workbook(io.BytesIO(workbook))) == ["Kẹo dừa 0", "Kẹo dừa 1", "Kẹo dừa 2"]


@override_settings(IMPORT_MAX_ROWS=1000)
def test_a_claimed_size_of_three_million_rows_is_not_padded(db):
    workbook = with_blank_rows(workbook_bytes(GOOD), 0, claimed_rows=3_000_000)

    assert names(read_workbook(io.BytesIO(workbook))) == ["Kẹo dừa 0", "Kẹo dừa 1", "Kẹo dừa 2"]


@override_settings(IMPORT_MAX_EXPANDED_MB=1)
def test_a_workbook_expanding_beyond_the_limit_is_refused_before_reading(db):
    workbook = workbook_bytes([row(**{"Tên sản phẩm": "x" * 30_000}) for _ in range(60)])

    with pytest.raises(ImportFileError) as refused:
        read_workbook(io.BytesIO(workbook))

    assert refused.value.message == "Tệp bảng tính giải nén ra hơn 1 MB; hãy chia thành nhiều tệp."


def test_the_upload_page_shows_the_row_limit_message(client_for, province_officer, settings):
    settings.IMPORT_MAX_ROWS = 100
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ocop.xlsx", with_blank_rows(workbook_bytes(GOOD), 5_000))
    response = client_for(province_officer).post("/office/import/", {"file": upload}, follow=True)

    assert "Trang tính đầu tiên có hơn 100 dòng" in response.content.decode()
