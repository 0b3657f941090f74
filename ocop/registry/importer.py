"""Import of a province's existing list of certified OCOP products from an Excel workbook.

`import_products(source, actor=..., dry_run=...)` reads the first sheet (header row 1), checks every
row, and then writes everything in one transaction, or nothing at all when any row is bad. Each bad
row becomes one line `Dòng N: <reason>` (N is the spreadsheet row, the header being row 1); the
reasons are Vietnamese whatever the active language, as the provincial offices read them.

Identity, so that importing the same file twice creates nothing new:
- producer: its tax code when the row has one, otherwise its folded name and commune (compared on
  the current map, so a 2022 row and a 2025 row of the same household meet);
- product: producer and folded name;
- certificate: product, decision number (folded) and decision date.

Units are resolved on the map in force at the decision date (`ocop.geo.enums.map_for`); the whole
map of a province is read once and matched in memory, so a 20,000-row file costs a few dozen
queries before the bulk inserts."""

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.rules import unit_covers
from ocop.certificates.domain import default_expiry, issue_certificates
from ocop.certificates.enums import CertificateSource
from ocop.certificates.models import Certificate
from ocop.core.activity import log_activity
from ocop.core.dates import today
from ocop.core.errors import DomainError
from ocop.core.models import ActivityLog, Sequence
from ocop.core.text import fold, fold_unit_name
from ocop.geo.enums import Level, MapVersion, map_for
from ocop.geo.models import AdminUnit, Succession

from .enums import PRODUCER_KIND_ALIASES, PRODUCT_SET_VI, ProducerStatus
from .models import Producer, Product
from .validators import TAX_CODE_RE, normalize_tax_code

MAX_ROWS = 50_000  # default of settings.IMPORT_MAX_ROWS
EARLIEST_DECISION = datetime.date(2013, 1, 1)  # Quảng Ninh's pilot; the national programme began 2018
IMPORT_LOCK = "registry:import"  # a Sequence row whose update serialises imports
CHUNK = 900  # values per IN (...) query, below SQLite's oldest parameter limit

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
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sach OCOP"
    sheet.append([label + ("*" if key in REQUIRED else "") for key, (label, _v) in COLUMNS.items()])
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


@dataclass
class ImportRow:
    number: int
    product_name: str = ""
    producer_name: str = ""
    kind: str = ""
    tax_code: str | None = None
    province: AdminUnit | None = None
    district: AdminUnit | None = None
    commune: AdminUnit | None = None
    product_set: int | None = None
    star: int | None = None
    potential_5_star: bool = False
    score: Decimal | None = None
    decision_number: str = ""
    decision_date: datetime.date | None = None
    issuer_name: str = ""
    issuer_unit: AdminUnit | None = None
    expires_on: datetime.date | None = None
    errors: list = field(default_factory=list)
    producer: Producer | None = None
    product: Product | None = None
    certificate: Certificate | None = None
    new_producer: bool = False
    new_product: bool = False
    new_certificate: bool = False

    @property
    def ok(self):
        return not self.errors

    def error_line(self):
        return f"Dòng {self.number}: {'; '.join(self.errors)}"


@dataclass
class ImportResult:
    rows: list
    dry_run: bool
    file_name: str = ""
    created: dict = field(default_factory=lambda: {"producers": 0, "products": 0, "certificates": 0})
    existing: dict = field(default_factory=lambda: {"producers": 0, "products": 0, "certificates": 0})
    log: ActivityLog | None = None

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return not self.bad_rows

    def error_lines(self):
        return [row.error_line() for row in self.bad_rows]

    def summary(self):
        return {
            "file": self.file_name,
            "rows": len(self.rows),
            "created": dict(self.created),
            "existing": dict(self.existing),
            "dry_run": self.dry_run,
        }


# --------------------------------------------------------------------------------------------------
# Reading the workbook


def _limit(value):
    return f"{value:,}".replace(",", ".")


def _check_archive(source):
    """Refuse an .xlsx whose members expand beyond IMPORT_MAX_EXPANDED_MB (a zip bomb), from the sizes
    the archive declares (zipfile never reads more than a member declares)."""
    import zipfile

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
    import zipfile

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


# --------------------------------------------------------------------------------------------------
# Cell values


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


# --------------------------------------------------------------------------------------------------
# The map, read once per province


class _Units:
    """A list of units indexed by code, short name and full name (folded); lookups are memoised."""

    def __init__(self, units, width):
        self.width = width
        self.by_code, self.by_short, self.by_name = {}, defaultdict(list), defaultdict(list)
        self.by_pk = {}
        for unit in units:
            self.by_pk[unit.pk] = unit
            self.by_code[unit.code] = unit
            self.by_short[unit.short_folded].append(unit)
            self.by_name[unit.name_folded].append(unit)
        self._memo = {}

    def match(self, cell):
        """(unit, None) or (None, "unknown" | "ambiguous"), by code or by name, as
        `ocop.geo.queries.find_unit` matches names."""
        text = _text(cell)
        if text not in self._memo:
            self._memo[text] = self._match(text)
        return self._memo[text]

    def _match(self, text):
        if text.isdigit() and text.zfill(self.width) in self.by_code:
            return self.by_code[text.zfill(self.width)], None
        short, full = fold_unit_name(text), _fold(text)
        if not short:
            return None, "unknown"
        # A name written without prefix may start like one ("Tịnh Ấn Đông"): its full fold is the short.
        found = {u.pk: u for key in {short, full} for u in self.by_short.get(key, ())}
        found.update({u.pk: u for u in self.by_name.get(full, ())})
        matches = list(found.values())
        if len(matches) > 1:
            matches = [u for u in matches if u.name_folded == full] or matches
        if len(matches) == 1:
            return matches[0], None
        return None, "ambiguous" if matches else "unknown"


class _Gazetteer:
    """The units of each map, read once per province and matched in memory."""

    def __init__(self):
        self._provinces = {}
        self._children = {}
        self.today = today()

    def provinces(self, map_):
        if map_ not in self._provinces:
            units = AdminUnit.objects.filter(map=map_, level=Level.PROVINCE)
            self._provinces[map_] = _Units(units, 2)
        return self._provinces[map_]

    def children(self, province, level, district=None):
        """Districts or communes of `province` (communes of `district` when given)."""
        key = (province.pk, level, district.pk if district else None)
        if key not in self._children:
            if district is not None:
                units = [
                    u for u in self.children(province, level).by_code.values() if u.district_id == district.pk
                ]
            else:
                units = list(AdminUnit.objects.filter(province=province, level=level))
                districts = self.children(province, Level.DISTRICT).by_pk if level == Level.COMMUNE else {}
                for unit in units:  # the related units are known: no join, no descriptor
                    unit._state.fields_cache["province"] = province
                    if unit.district_id:
                        unit._state.fields_cache["district"] = districts.get(unit.district_id)
            self._children[key] = _Units(units, 3 if level == Level.DISTRICT else 5)
        return self._children[key]


def _map_label(map_):
    return "trước 01/07/2025" if map_ == MapVersion.LEGACY else "từ 01/07/2025"


# --------------------------------------------------------------------------------------------------
# Checking one row


def _check_row(row, cells, gazetteer, product_set_optional):
    errors = row.errors
    text = {key: _text(value) for key, value in cells.items()}
    missing = [COLUMNS[key][0] for key in REQUIRED if not text.get(key)]
    if missing:
        errors.append("thiếu " + ", ".join(missing))

    row.product_name = text.get("product", "")
    row.producer_name = text.get("producer", "")
    row.decision_number = text.get("decision_number", "")
    row.issuer_name = text.get("issuer", "")
    for label, value, limit in (
        ("Tên sản phẩm", row.product_name, 255),
        ("Chủ thể", row.producer_name, 255),
        ("Số quyết định", row.decision_number, 60),
        ("Cơ quan công nhận", row.issuer_name, 200),
    ):
        if len(value) > limit:
            errors.append(f"{label} dài quá {limit} ký tự")

    kind_cell = cells.get("kind")
    if text.get("kind"):
        row.kind = PRODUCER_KIND_ALIASES.get(_fold(kind_cell), "")
        if not row.kind:
            errors.append(
                f"loại hình chủ thể {_quote(kind_cell)} không xác định (hợp tác xã, doanh nghiệp, "
                "hộ kinh doanh, tổ hợp tác hoặc cơ sở sản xuất)"
            )

    tax_cell = cells.get("tax_code")
    if text.get("tax_code"):
        row.tax_code = parse_tax_code(tax_cell)
        if not TAX_CODE_RE.match(row.tax_code):
            errors.append(
                f"mã số thuế {_quote(tax_cell)} không hợp lệ (10 chữ số, 10-3 với chi nhánh, 12 chữ số "
                "hoặc mã hộ kinh doanh như 56A8001234)"
            )

    star_cell = cells.get("star")
    if text.get("star"):
        row.star = parse_star(star_cell)
        if row.star not in (3, 4, 5):
            errors.append(f"hạng sao {_quote(star_cell)} không hợp lệ (chỉ 3, 4 hoặc 5 sao)")

    potential = _fold(text.get("potential", ""))
    if potential in _YES:
        row.potential_5_star = True
    elif potential not in _NO:
        errors.append(f"tiềm năng 5 sao {_quote(cells.get('potential'))} không rõ (ghi x, có hoặc để trống)")

    if text.get("score", ""):
        row.score = parse_score(cells.get("score"))
        if row.score is None:
            errors.append(f"điểm {_quote(cells.get('score'))} không hợp lệ (một số từ 0 đến 100)")

    set_cell = cells.get("product_set")
    if text.get("product_set"):
        row.product_set = parse_product_set(set_cell)
        if row.product_set is None:
            errors.append(f"bộ sản phẩm {_quote(set_cell)} không xác định (số từ 1 đến 26 hoặc tên bộ)")

    date_cell = cells.get("decision_date")
    if text.get("decision_date"):
        day = parse_date(date_cell)
        if day is None:
            errors.append(f"ngày quyết định {_quote(date_cell)} không phải ngày hợp lệ (dd/mm/yyyy)")
        elif day > gazetteer.today:
            errors.append(f"ngày quyết định {_fmt(day)} ở tương lai")
        elif day < EARLIEST_DECISION:
            errors.append(f"ngày quyết định {_fmt(day)} trước năm {EARLIEST_DECISION.year}, không thể đúng")
        else:
            row.decision_date = day

    expiry_cell = cells.get("expires_on")
    if text.get("expires_on"):
        day = parse_date(expiry_cell)
        if day is None:
            errors.append(f"ngày hết hạn {_quote(expiry_cell)} không phải ngày hợp lệ (dd/mm/yyyy)")
        elif row.decision_date and day <= row.decision_date:
            errors.append(f"ngày hết hạn {_fmt(day)} không sau ngày quyết định {_fmt(row.decision_date)}")
        else:
            row.expires_on = day
    if row.decision_date and row.expires_on is None and not text.get("expires_on"):
        row.expires_on = default_expiry(row.decision_date)

    if row.decision_date and text.get("province", ""):
        _resolve_units(row, cells, gazetteer)


def _resolve_units(row, cells, gazetteer):
    map_ = map_for(row.decision_date)
    province_cell = cells.get("province")
    province, _reason = gazetteer.provinces(map_).match(province_cell)
    if province is None:
        row.errors.append(f"không có tỉnh {_quote(province_cell)} trên bản đồ hành chính {_map_label(map_)}")
        return
    row.province = province
    if not row.issuer_name:
        row.issuer_name = "UBND " + province.name[:1].lower() + province.name[1:]
        row.issuer_unit = province
    communes = gazetteer.children(province, Level.COMMUNE)
    district_cell = cells.get("district")
    place = province.name
    if map_ == MapVersion.LEGACY and _text(district_cell):
        district, _reason = gazetteer.children(province, Level.DISTRICT).match(district_cell)
        if district is None:
            row.errors.append(f"không có huyện {_quote(district_cell)} thuộc {province.name}")
            return
        row.district = district
        communes = gazetteer.children(province, Level.COMMUNE, district)
        place = f"{district.name}, {province.name}"
    commune_cell = cells.get("commune")
    if not _text(commune_cell):
        return
    commune, reason = communes.match(commune_cell)
    if commune is None and reason == "ambiguous":
        hint = (
            "cần ghi cột Huyện" if place == province.name and map_ == MapVersion.LEGACY else "cần ghi mã xã"
        )
        row.errors.append(f"có nhiều xã tên {_quote(commune_cell)} thuộc {place}, {hint}")
    elif commune is None:
        row.errors.append(f"không có xã {_quote(commune_cell)} thuộc {place} ({_map_label(map_)})")
    else:
        row.commune = commune


# --------------------------------------------------------------------------------------------------
# Whole-file checks: both maps of each commune, scope, identities


def _in_chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _both_maps(communes):
    """{commune pk: (legacy commune id, current commune id)}, as `Producer.derive_communes` decides:
    the successor (or predecessor) that is not partial first, then the lowest code."""
    pairs = {}
    legacy = [c for c in communes if c.map == MapVersion.LEGACY]
    current = [c for c in communes if c.map == MapVersion.CURRENT]
    best = {}
    for chunk in _in_chunks(c.pk for c in legacy):
        for old_id, new_id, partial, code in Succession.objects.filter(old_id__in=chunk).values_list(
            "old_id", "new_id", "partial", "new__code"
        ):
            if old_id not in best or (partial, code) < best[old_id][0]:
                best[old_id] = ((partial, code), new_id)
    for commune in legacy:
        pairs[commune.pk] = (commune.pk, best[commune.pk][1] if commune.pk in best else None)
    best = {}
    for chunk in _in_chunks(c.pk for c in current):
        for new_id, old_id, partial, code in Succession.objects.filter(new_id__in=chunk).values_list(
            "new_id", "old_id", "partial", "old__code"
        ):
            if new_id not in best or (partial, code) < best[new_id][0]:
                best[new_id] = ((partial, code), old_id)
    for commune in current:
        pairs[commune.pk] = (best[commune.pk][1] if commune.pk in best else None, commune.pk)
    return pairs


def _scope_units(actor):
    """None when the actor may import anywhere; else the provinces (or units) the actor covers."""
    if actor is None or actor.is_superuser or actor.has_role(Role.ADMIN):
        return None
    return actor.units(Role.PROVINCE_OFFICER)


def _check_scope(rows, units, pairs):
    ids = {pk for pair in pairs.values() for pk in pair if pk}
    by_id = {}
    for chunk in _in_chunks(ids):
        by_id.update(AdminUnit.objects.in_bulk(chunk))
    for row in rows:
        if not row.ok:
            continue
        legacy_id, current_id = pairs[row.commune.pk]
        legacy, current = by_id.get(legacy_id), by_id.get(current_id)
        if not any(unit_covers(unit, legacy, current) for unit in units):
            row.errors.append(
                f"{row.commune.name}, {row.province.name} nằm ngoài phạm vi quản lý của tài khoản"
            )


def _match_records(rows, pairs, product_set_optional):
    """Attach each good row to an existing or new producer, product and certificate."""
    good = [row for row in rows if row.ok]
    taxes = {row.tax_code for row in good if row.tax_code}
    names = {_fold(row.producer_name) for row in good}

    by_tax, by_name = {}, {}
    for chunk in _in_chunks(taxes):
        for producer in Producer.objects.filter(tax_code__in=chunk):
            by_tax[producer.tax_code] = producer
    for chunk in _in_chunks(names):
        for producer in Producer.objects.filter(name_folded__in=chunk).order_by("pk"):
            by_name.setdefault(
                (producer.name_folded, producer.current_commune_id or producer.commune_id), producer
            )

    def place_key(row):
        return (_fold(row.producer_name), pairs[row.commune.pk][1] or row.commune.pk)

    # Producers: rows with a tax code first, so that a row without one joins the same producer.
    slots, aliases = {}, {}
    for row in sorted(good, key=lambda r: (r.tax_code is None, r.number)):
        key = place_key(row)
        if row.tax_code:
            producer = slots.get(row.tax_code) or by_tax.get(row.tax_code)
            if producer is None and by_name.get(key) is not None and not by_name[key].tax_code:
                producer = by_name[key]  # imported earlier from a list without tax codes
            if producer is None:
                producer = _new_producer(row, pairs)
            slots[row.tax_code] = producer
            aliases.setdefault(key, producer)
        else:
            producer = aliases.get(key) or by_name.get(key)
            if producer is None:
                producer = _new_producer(row, pairs)
            aliases[key] = producer
        row.producer = producer
        row.new_producer = producer.pk is None

    # Products and certificates of producers already in the database.
    known_producers = {row.producer.pk for row in good if row.producer.pk}
    products = {}
    for chunk in _in_chunks(known_producers):
        for product in Product.objects.filter(producer_id__in=chunk).order_by("pk"):
            products.setdefault((product.producer_id, product.name_folded), product)
    known_products = {p.pk for p in products.values()}
    certificates = defaultdict(list)
    for chunk in _in_chunks(known_products):
        for cert in Certificate.objects.filter(product_id__in=chunk):
            certificates[cert.product_id].append(cert)

    new_products, seen = {}, {}
    for row in sorted(good, key=lambda r: r.number):
        producer_ref = row.producer.pk or id(row.producer)
        product_key = (producer_ref, _fold(row.product_name))
        product = products.get(product_key) or new_products.get(product_key)
        if product is None:
            if row.product_set is None and not product_set_optional:
                row.errors.append("thiếu Bộ sản phẩm (cần cho sản phẩm chưa có trên nền tảng)")
                continue
            product = Product(
                producer_id=row.producer.pk,
                name=row.product_name,
                name_folded=_fold(row.product_name),
                product_set=row.product_set,
            )
            product.import_producer = row.producer  # its primary key is known once it is saved
            new_products[product_key] = product
        row.product = product
        row.new_product = product.pk is None

        cert_key = (product_key, _fold(row.decision_number), row.decision_date)
        if cert_key in seen:
            row.errors.append(
                f"trùng với hàng {seen[cert_key]} của bảng tính (cùng chủ thể, sản phẩm, số và ngày quyết định)"
            )
            continue
        seen[cert_key] = row.number
        existing = next(
            (
                c
                for c in certificates.get(product.pk, ())
                if _fold(c.decision_number) == cert_key[1] and c.decision_date == row.decision_date
            ),
            None,
        )
        row.certificate = existing
        row.new_certificate = existing is None
    return certificates


def _new_producer(row, pairs):
    legacy_id, current_id = pairs[row.commune.pk]
    return Producer(
        name=row.producer_name,
        name_folded=_fold(row.producer_name),
        kind=row.kind,
        tax_code=row.tax_code,
        commune_id=row.commune.pk,
        legacy_commune_id=legacy_id,
        current_commune_id=current_id,
        status=ProducerStatus.ACTIVE,
    )


# --------------------------------------------------------------------------------------------------
# The import


def check_rows(data, *, actor=None):
    """Check every row and match it against the database. Returns (rows, existing certificates)."""
    product_set_optional = Product._meta.get_field("product_set").null
    gazetteer = _Gazetteer()
    rows = []
    for number, cells in data:
        row = ImportRow(number=number)
        _check_row(row, cells, gazetteer, product_set_optional)
        rows.append(row)
    good = [row for row in rows if row.ok]
    pairs = _both_maps({row.commune.pk: row.commune for row in good}.values())
    units = _scope_units(actor)
    if units is not None:
        _check_scope(good, units, pairs)
    certificates = _match_records(rows, pairs, product_set_optional)
    _check_matched_producers([row for row in good if row.ok], units)
    return rows, certificates


def _check_matched_producers(rows, units):
    """A row may only add to a producer already on the platform that the importing officer covers and
    whose identity the office has verified: a tax code must not let one province write certificates
    into another's register, nor a self-registered producer (awaiting approval) capture a list."""
    matched = {row.producer.pk: row.producer for row in rows if row.producer.pk is not None}
    if not matched:
        return
    communes = {}
    if units is not None:
        ids = {pk for p in matched.values() for pk in (p.legacy_commune_id, p.current_commune_id) if pk}
        for chunk in _in_chunks(ids):
            communes.update(AdminUnit.objects.in_bulk(chunk))
    for row in rows:
        producer = row.producer
        if producer.pk is None:
            continue
        what = (
            f"mã số thuế {_quote(row.tax_code)}" if row.tax_code else f"chủ thể {_quote(row.producer_name)}"
        )
        if units is not None:
            legacy, current = (
                communes.get(producer.legacy_commune_id),
                communes.get(producer.current_commune_id),
            )
            if not any(unit_covers(unit, legacy, current) for unit in units):
                row.errors.append(f"{what} là của một chủ thể nằm ngoài phạm vi quản lý của tài khoản")
                continue
        if producer.status in (ProducerStatus.PENDING, ProducerStatus.REJECTED):
            row.errors.append(
                f"{what} là của một chủ thể tự đăng ký chưa được văn phòng OCOP duyệt; "
                "duyệt hồ sơ chủ thể trước khi nhập"
            )


def import_products(source, *, actor=None, dry_run=False, file_name=""):
    """Import a provincial list (path or file object). All or nothing; see the module docstring.

    `actor` None is the system (the management command); a user must hold registry.import_products
    and, unless an administrator, may only import rows of the provinces they cover."""
    if actor is not None and not actor.has_perm("registry.import_products"):
        raise PermissionDenied
    data = read_workbook(source)
    if dry_run:
        return _checked(data, actor=actor, dry_run=True, file_name=file_name)[0]
    with transaction.atomic():
        # One import at a time: a second one waits here, then sees what the first one wrote.
        Sequence.objects.get_or_create(key=IMPORT_LOCK)
        Sequence.objects.filter(key=IMPORT_LOCK).update(value=F("value") + 1)
        result, certificates = _checked(data, actor=actor, dry_run=False, file_name=file_name)
        if result.ok:
            _write(result, certificates, actor=actor)
        else:
            transaction.set_rollback(True)  # not even the lock's counter moves
    return result


def _checked(data, *, actor, dry_run, file_name):
    rows, certificates = check_rows(data, actor=actor)
    result = ImportResult(rows=rows, dry_run=dry_run, file_name=file_name)
    if result.ok:
        _count(result)
    return result, certificates


def _count(result):
    rows = result.rows
    for kind, attr in (("producers", "producer"), ("products", "product")):
        objects = {id(getattr(row, attr)): getattr(row, attr) for row in rows}.values()
        result.created[kind] = sum(1 for obj in objects if obj.pk is None)
        result.existing[kind] = sum(1 for obj in objects if obj.pk is not None)
    result.created["certificates"] = sum(1 for row in rows if row.new_certificate)
    result.existing["certificates"] = sum(1 for row in rows if not row.new_certificate)


def _write(result, certificates, *, actor):
    rows = result.rows
    producers = list({id(r.producer): r.producer for r in rows if r.new_producer}.values())
    Producer.objects.bulk_create(producers, batch_size=500)
    products = list({id(r.product): r.product for r in rows if r.new_product}.values())
    for product in products:
        product.producer_id = product.import_producer.pk
    Product.objects.bulk_create(products, batch_size=500)
    result.log = log_activity(None, "registry.import.completed", actor=actor, data=result.summary())
    _log_created(result.log, actor, producers, products)

    # Certificates through the one write path of certificates (numbering, supersession and its log
    # rows, verify pages and catalogue refreshed).
    issued = [row for row in rows if row.new_certificate]
    for row in issued:
        row.certificate = Certificate(
            product_id=row.product.pk,
            star=row.star,
            potential_5_star=row.potential_5_star,
            score=row.score,
            source=CertificateSource.IMPORT,
            decision_number=row.decision_number,
            decision_date=row.decision_date,
            issuer_name=row.issuer_name,
            issuer_unit_id=row.issuer_unit.pk if row.issuer_unit else None,
            issued_on=row.decision_date,
            expires_on=row.expires_on,
            legacy_commune_id=row.producer.legacy_commune_id,
            current_commune_id=row.producer.current_commune_id,
        )
    issue_certificates(
        [row.certificate for row in issued],
        actor=actor,
        places=[(row.province.code, row.commune.code) for row in issued],
        existing=certificates,
        log_data={"source": "import", "import": result.log.pk},
    )


def _log_created(summary, actor, producers, products):
    """One cheap row per created object, pointing at the import's summary row."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    types = ContentType.objects.get_for_models(Producer, Product)
    entries = []
    for model, objects, action in (
        (Producer, producers, "registry.producer.created"),
        (Product, products, "registry.product.created"),
    ):
        for obj in objects:
            data = {"source": "import", "import": summary.pk}
            entries.append(
                ActivityLog(
                    actor=actor,
                    action=action,
                    content_type=types[model],
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    data=data,
                )
            )
    ActivityLog.objects.bulk_create(entries, batch_size=1000)
