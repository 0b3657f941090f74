"""Reading the workbook: the columns, the file checks (size, zip bomb, rows), the cells' values."""

import datetime
import functools
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from ocop.core.errors import DomainError
from ocop.core.text import fold
from ocop.registry.enums import PRODUCT_SET_VI
from ocop.registry.validators import normalize_tax_code

MAX_ROWS = 50_000  # default of settings.IMPORT_MAX_ROWS


# Column key -> (label as written in the template, folded header variants).
COLUMNS = {
    "stt": ("STT", ["stt", "so thu tu", "tt"]),
    "product": ("Tên sản phẩm", ["ten san pham", "san pham", "ten sp"]),
    "producer": ("Chủ thể", ["chu the", "ten chu the", "chu the ocop", "ten chu the ocop"]),
    "kind": ("Loại hình chủ thể", ["loai hinh chu the", "loai hinh", "loai hinh to chuc"]),
    "tax_code": ("Mã số thuế", ["ma so thue", "mst", "ma so doanh nghiep", "ma so dkkd"]),
    "province": ("Tỉnh", ["tinh", "tinh thanh pho", "tinh tp", "ma tinh"]),
    "district": ("Huyện", ["huyen", "quan huyen", "huyen thi xa thanh pho", "huyen thi", "ma huyen"]),
    "commune": ("Xã", ["xa", "xa phuong", "xa phuong thi tran", "xa phuong dac khu", "ma xa"]),
    "product_set": ("Bộ sản phẩm", ["bo san pham", "bo sp", "nhom san pham"]),
    "star": ("Hạng sao", ["hang sao", "so sao", "xep hang", "hang"]),
    "potential": ("Tiềm năng 5 sao", ["tiem nang 5 sao", "tiem nang 5", "tiem nang"]),
    "score": ("Điểm", ["diem", "tong diem", "diem danh gia"]),
    "decision_number": ("Số quyết định", ["so quyet dinh", "so qd", "quyet dinh so"]),
    "decision_date": ("Ngày quyết định", ["ngay quyet dinh", "ngay qd", "ngay cong nhan"]),
    "issuer": ("Cơ quan công nhận", ["co quan cong nhan", "don vi cong nhan", "co quan ban hanh"]),
    "expires_on": ("Ngày hết hạn", ["ngay het han", "het han", "han chung nhan"]),
}


REQUIRED = (
    "product",
    "producer",
    "kind",
    "province",
    "commune",
    "star",
    "decision_number",
    "decision_date",
)

# The template's header row: the labels, required columns marked with *.
TEMPLATE_HEADERS = [label + ("*" if key in REQUIRED else "") for key, (label, _v) in COLUMNS.items()]


# The example row of the downloadable template (a 2022 Bến Tre product, as the province's lists write it).
TEMPLATE_EXAMPLE = {
    "stt": 1,
    "product": "Kẹo dừa sữa",
    "producer": "Hợp tác xã Dừa Xanh",
    "kind": "HTX",
    "tax_code": "1300123456",
    "province": "Bến Tre",
    "district": "Thành phố Bến Tre",
    "commune": "Phú Khương",
    "product_set": 7,
    "star": 4,
    "potential": "",
    "score": 78,
    "decision_number": "1234/QĐ-UBND",
    "decision_date": "10/05/2022",
    "issuer": "UBND tỉnh Bến Tre",
    "expires_on": "",
}


def template_workbook():
    """The import template as XLSX bytes: the header row the importer reads (required columns marked
    with *) and one example row that imports as it is."""

    # openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sach OCOP"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append([TEMPLATE_EXAMPLE.get(key, "") for key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, (_key, (label, _v)) in zip(sheet.columns, COLUMNS.items(), strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(label) + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_HEADER_KEYS = {variant: key for key, (_label, variants) in COLUMNS.items() for variant in variants}


_SPACES_RE = re.compile(r"\s+")


_NEEDS_SPACES_RE = re.compile(r"\s\s|[^\S ]")


_STAR_RE = re.compile(r"^(\d+)(?:[.,]0+)?(?: ?sao| ?s)?$")


_SET_NUMBER_RE = re.compile(r"^(?:bo )?(\d{1,2})(?:\D|$)")


_TIME_SUFFIX_RE = re.compile(r"^(\S+)\s+\d{1,2}:\d{2}(:\d{2})?$")


_DONG_DIGIT_RE = re.compile(r"(d[oòóỏõọ]ng)(\s*)(?=\d)", re.IGNORECASE)


_YES = {"x", "co", "yes", "y", "1", "true", "tiem nang", "v"}


_NO = {"", "khong", "no", "n", "0", "false", "-"}


_fold = functools.lru_cache(maxsize=200_000)(fold)  # pure; spreadsheets repeat their values a lot


_SET_NAMES = {_fold(name): number for number, name in PRODUCT_SET_VI.items()}


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (unreadable, no data, a required column missing)."""

    def __init__(self, message):
        super().__init__(message, code="import_file")


def _limit(value):
    return f"{value:,}".replace(",", ".")


def _check_archive(source):
    """Refuse an .xlsx whose members expand beyond IMPORT_MAX_EXPANDED_MB (a zip bomb), from the sizes
    the archive declares (zipfile never reads more than a member declares)."""

    try:
        with zipfile.ZipFile(source) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if expanded > settings.IMPORT_MAX_EXPANDED_MB * 1024 * 1024:
        raise ImportFileError(
            _("The workbook expands to more than %(max)s MB; split it into several files.")
            % {"max": _limit(settings.IMPORT_MAX_EXPANDED_MB)}
        )


def read_workbook(source):
    """Return [(spreadsheet row number, {column key: raw value})] of the first sheet's data rows.

    Reads at most settings.IMPORT_MAX_ROWS rows below the header, blank rows included (a sheet with
    three million blank rows would otherwise take a minute), in openpyxl's streaming mode, so time and
    memory are bounded. Raises ImportFileError for a file that is not a readable .xlsx, one that expands
    too much, a missing required column, no data or too many rows."""

    # openpyxl loads only when a workbook is read or written
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    limit = settings.IMPORT_MAX_ROWS
    _check_archive(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        # Read the rows the sheet holds, not the size its <dimension> claims: a claimed A1:P3000000
        # would be padded with empty rows, and a claim too small would drop real ones.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions = _header_positions(header)
        missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
        if missing:
            raise ImportFileError(
                _("Required columns are missing from the first row: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        data = []
        for number, values in enumerate(rows, start=2):
            if number > limit + 1:
                raise ImportFileError(
                    _(
                        "The first sheet has more than %(max)s rows below the header (blank rows included). "
                        "Delete the empty rows below the data, or split the file into several files."
                    )
                    % {"max": _limit(limit)}
                )
            cells = {key: values[pos] if pos < len(values) else None for key, pos in positions.items()}
            if all(
                v is None or (isinstance(v, str) and not v.strip()) for k, v in cells.items() if k != "stt"
            ):
                continue
            data.append((number, cells))
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged workbook can fail anywhere while streaming
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        workbook.close()
    if not data:
        raise ImportFileError(_("The first sheet has no data below its header row."))
    return data


def _header_positions(header):
    positions = {}
    for pos, cell in enumerate(header):
        key = _HEADER_KEYS.get(_fold(cell))
        if key and key not in positions:
            positions[key] = pos
    return positions


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    return _SPACES_RE.sub(" ", text) if _NEEDS_SPACES_RE.search(text) else text


def _quote(value, limit=60):
    """A cell value quoted in a reason; never "dòng" directly followed by a digit."""
    text = _text(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "«" + _DONG_DIGIT_RE.sub(r"\1\2#", text) + "»"


def _fmt(day):
    return day.strftime("%d/%m/%Y")


def parse_date(value):
    """A date from an Excel date cell, an Excel serial number, or dd/mm/yyyy text; None if impossible."""
    # openpyxl loads only when a workbook is read or written
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return from_excel(value).date()
        return None
    text = _text(value)
    match = _TIME_SUFFIX_RE.match(text)
    if match:
        text = match.group(1)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_star(value):
    folded = _fold(_text(value).replace("★", " sao").replace("*", " sao"))
    match = _STAR_RE.match(folded)
    return int(match.group(1)) if match else None


def parse_product_set(value):
    text = _text(value)
    folded = _fold(text)
    match = _SET_NUMBER_RE.match(folded)
    if match:
        number = int(match.group(1))
        return number if 1 <= number <= 26 else None
    if folded in _SET_NAMES:
        return _SET_NAMES[folded]
    starts = [(len(name), n) for name, n in _SET_NAMES.items() if folded.startswith(name + " ")]
    return max(starts)[1] if starts else None


def parse_tax_code(value):
    """Normalised tax code, restoring the leading zero Excel drops from numeric cells."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if len(digits) in (9, 11):
            digits = "0" + digits
        return digits
    return normalize_tax_code(_text(value))


def parse_score(value):
    text = _text(value).replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        return None
    if not score.is_finite() or not (0 <= score <= 100):
        return None
    return score.quantize(Decimal("0.01"))
