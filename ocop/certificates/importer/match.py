"""Matching: each row checked and its units found on the map in force at its decision date, the
importing officer's scope, and each good row attached to an existing or new producer, product and
certificate."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ocop.accounts.enums import Role
from ocop.accounts.rules import unit_covers
from ocop.core.dates import today
from ocop.core.permissions import acting_user
from ocop.core.text import fold_unit_name
from ocop.geo.enums import Level, MapVersion, map_for
from ocop.geo.models import AdminUnit, Succession
from ocop.registry.enums import PRODUCER_KIND_ALIASES, ProducerStatus
from ocop.registry.models import Producer, Product
from ocop.registry.validators import TAX_CODE_RE

from ..domain import default_expiry
from ..models import Certificate
from .read import (
    _NO,
    _YES,
    COLUMNS,
    REQUIRED,
    _fmt,
    _fold,
    _quote,
    _text,
    parse_date,
    parse_product_set,
    parse_score,
    parse_star,
    parse_tax_code,
)

EARLIEST_DECISION = datetime.date(2013, 1, 1)  # Quảng Ninh's pilot; the national programme began 2018


CHUNK = 900  # values per IN (...) query, below SQLite's oldest parameter limit


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


def _is_value(parsed):
    return parsed is not None


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

    def column(key, parse, valid, problem):
        """The parsed value of column `key`, None when the cell is empty; `problem`, with the cell
        quoted in it, goes to the row's errors when the value is not valid."""
        if not text.get(key):
            return None
        value = parse(cells.get(key))
        if not valid(value):
            errors.append(problem.format(_quote(cells.get(key))))
        return value

    row.kind = (
        column(
            "kind",
            lambda cell: PRODUCER_KIND_ALIASES.get(_fold(cell), ""),
            bool,
            "loại hình chủ thể {} không xác định (hợp tác xã, doanh nghiệp, hộ kinh doanh, tổ hợp tác "
            "hoặc cơ sở sản xuất)",
        )
        or ""
    )
    row.tax_code = column(
        "tax_code",
        parse_tax_code,
        TAX_CODE_RE.match,
        "mã số thuế {} không hợp lệ (10 chữ số, 10-3 với chi nhánh, 12 chữ số hoặc mã hộ kinh doanh như "
        "56A8001234)",
    )
    row.star = column(
        "star", parse_star, lambda star: star in (3, 4, 5), "hạng sao {} không hợp lệ (chỉ 3, 4 hoặc 5 sao)"
    )

    potential = _fold(text.get("potential", ""))
    if potential in _YES:
        row.potential_5_star = True
    elif potential not in _NO:
        errors.append(f"tiềm năng 5 sao {_quote(cells.get('potential'))} không rõ (ghi x, có hoặc để trống)")

    row.score = column("score", parse_score, _is_value, "điểm {} không hợp lệ (một số từ 0 đến 100)")
    row.product_set = column(
        "product_set",
        parse_product_set,
        _is_value,
        "bộ sản phẩm {} không xác định (số từ 1 đến 26 hoặc tên bộ)",
    )

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


def _in_chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _both_maps(communes):
    """{commune pk: (legacy commune id, current commune id)}, as `Producer.derive_communes` decides:
    the successor (or predecessor) that is not partial first, then the lowest code."""
    legacy = [c.pk for c in communes if c.map == MapVersion.LEGACY]
    current = [c.pk for c in communes if c.map == MapVersion.CURRENT]
    successor = _across_the_change(legacy, "old", "new")
    predecessor = _across_the_change(current, "new", "old")
    pairs = {pk: (pk, successor.get(pk)) for pk in legacy}
    pairs.update({pk: (predecessor.get(pk), pk) for pk in current})
    return pairs


def _across_the_change(ids, side, other):
    """{commune id: the commune on the `other` side of the 2025 change}, for communes on `side` ("old" or
    "new") of it: a unit that is not partial first, then the lowest code."""
    best = {}
    for chunk in _in_chunks(ids):
        for own_id, other_id, partial, code in Succession.objects.filter(
            **{f"{side}_id__in": chunk}
        ).values_list(f"{side}_id", f"{other}_id", "partial", f"{other}__code"):
            if own_id not in best or (partial, code) < best[own_id][0]:
                best[own_id] = ((partial, code), other_id)
    return {own_id: other_id for own_id, (_rank, other_id) in best.items()}


def _scope_units(actor):
    """None when the actor may import anywhere; else the provinces (or units) the actor covers."""
    if acting_user(actor) is None or actor.is_superuser or actor.has_role(Role.ADMIN):
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


def check_rows(data, *, actor):
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
