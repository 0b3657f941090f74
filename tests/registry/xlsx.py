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


def with_blank_rows(workbook, blank_rows, *, claimed_rows=None):
    """`workbook` (bytes) with `blank_rows` empty but present rows below its data (a styled empty cell
    each, as Excel writes rows someone formatted), and a <dimension> claiming `claimed_rows` rows."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                start = int(re.findall(r'<row r="(\d+)"', text)[-1]) + 1
                blanks = "".join(
                    f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(start, start + blank_rows)
                )
                last = claimed_rows or start + blank_rows - 1
                text = text.replace("</sheetData>", blanks + "</sheetData>")
                text = re.sub(
                    r'<dimension ref="([A-Z]+)1:([A-Z]+)\d+"/>',
                    rf'<dimension ref="\g<1>1:\g<2>{last}"/>',
                    text,
                )
                body = text.encode()
            target.writestr(item, body)
    return out.getvalue()
