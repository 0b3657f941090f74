"""Build provincial spreadsheets for the import tests: `write_xlsx(path, rows)` with rows as dicts."""

import datetime
import io

from openpyxl import Workbook

HEADERS = [
    "STT",
    "Tên sản phẩm*",
    "Chủ thể*",
    "Loại hình chủ thể*",
    "Mã số thuế",
    "Tỉnh*",
    "Huyện",
    "Xã*",
    "Bộ sản phẩm",
    "Hạng sao*",
    "Tiềm năng 5 sao",
    "Điểm",
    "Số quyết định*",
    "Ngày quyết định*",
    "Cơ quan công nhận",
    "Ngày hết hạn",
]


def row(**values):
    """A good 2022 Bến Tre row; keyword arguments override cells by header (without the star)."""
    cells = {
        "Tên sản phẩm": "Kẹo dừa sữa",
        "Chủ thể": "Hợp tác xã Dừa Xanh",
        "Loại hình chủ thể": "HTX",
        "Mã số thuế": "1300123456",
        "Tỉnh": "Bến Tre",
        "Huyện": "Thành phố Bến Tre",
        "Xã": "Phú Khương",
        "Bộ sản phẩm": 7,
        "Hạng sao": 4,
        "Tiềm năng 5 sao": "",
        "Điểm": 78,
        "Số quyết định": "1234/QĐ-UBND",
        "Ngày quyết định": "10/05/2022",
        "Cơ quan công nhận": "",
        "Ngày hết hạn": "",
    }
    cells.update(values)
    return cells


def workbook_bytes(rows, headers=HEADERS, extra_sheets=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sach OCOP"
    sheet.append(headers)
    for number, cells in enumerate(rows, start=1):
        values = []
        for header in headers:
            key = header.rstrip("*")
            value = cells.get(key, cells.get(header, ""))
            values.append(number if key == "STT" and value == "" else value)
        sheet.append(values)
        for column, value in enumerate(values, start=1):
            if isinstance(value, datetime.date):
                sheet.cell(row=number + 1, column=column).number_format = "DD/MM/YYYY"
    for title in extra_sheets:
        workbook.create_sheet(title).append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path, rows, headers=HEADERS):
    path.write_bytes(workbook_bytes(rows, headers))
    return path
