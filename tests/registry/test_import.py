"""manage.py import_ocop_products: all or nothing, exact row lines, idempotent, both maps."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ocop.certificates.importer import (
    ImportFileError,
    import_products,
    parse_date,
    parse_product_set,
    parse_star,
    parse_tax_code,
)
from ocop.certificates.models import Certificate
from ocop.core.models import ActivityLog, Sequence
from ocop.registry.enums import ProducerKind
from ocop.registry.models import Producer, Product

from ..factories import ProducerFactory, unit
from .xlsx import HEADERS, row, workbook_bytes, write_xlsx

pytestmark = pytest.mark.integration

ROW_LINE = re.compile(r"^Dòng \d+: ", re.MULTILINE)
DONG_DIGIT = re.compile(r"dòng\s*\d", re.IGNORECASE)


def run(path, *args):
    """Run the command; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ocop_products", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def counts():
    return (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ActivityLog.objects.count(),
    )


def assert_no_number_after_dong(text):
    """Only the `Dòng N:` lines may put a number right after the word."""
    assert not DONG_DIGIT.search(ROW_LINE.sub("", text))


HAPPY_ROWS = [
    row(),
    row(**{"Tên sản phẩm": "Kẹo dừa sầu riêng", "Hạng sao": "3 sao", "Điểm": "65,5"}),
    row(
        **{
            "Tên sản phẩm": "Cá khô một nắng Bông Lau",
            "Chủ thể": "Hộ kinh doanh Trần Thị Lan",
            "Loại hình chủ thể": "Hộ kinh doanh",
            "Mã số thuế": "",
            "Huyện": "Ba Tri",
            "Xã": "Xã Mỹ Thạnh",
            "Bộ sản phẩm": "Chế biến từ thịt, thủy sản, trứng, sữa, mật ong",
            "Hạng sao": "4★",
            "Tiềm năng 5 sao": "x",
            "Điểm": 91,
            "Số quyết định": "2001/QĐ-UBND",
            "Ngày quyết định": datetime.date(2022, 7, 15),
            "Cơ quan công nhận": "UBND tỉnh Bến Tre",
            "Ngày hết hạn": "15/07/2025",
        }
    ),
]


def test_import_creates_producers_products_and_certificates(tmp_path, admin_units):
    path = write_xlsx(tmp_path / "ben-tre-2022.xlsx", HAPPY_ROWS)

    out, _err, error = run(path)

    assert error is None
    coop = Producer.objects.get(tax_code="1300123456")
    household = Producer.objects.get(tax_code=None)
    assert (coop.name, coop.kind, coop.commune, coop.legacy_commune, coop.current_commune.code) == (
        "Hợp tác xã Dừa Xanh",
        ProducerKind.COOPERATIVE,
        unit("28756"),
        unit("28756"),
        "28756",
    )
    assert (household.name, household.kind, household.commune) == (
        "Hộ kinh doanh Trần Thị Lan",
        ProducerKind.HOUSEHOLD,
        unit("29131"),
    )
    assert sorted(Product.objects.values_list("name", "producer__name", "product_set")) == [
        ("Cá khô một nắng Bông Lau", "Hộ kinh doanh Trần Thị Lan", 8),
        ("Kẹo dừa sầu riêng", "Hợp tác xã Dừa Xanh", 7),
        ("Kẹo dừa sữa", "Hợp tác xã Dừa Xanh", 7),
    ]
    certificates = {c.product.name: c for c in Certificate.objects.select_related("product")}
    fields = (
        "star",
        "potential_5_star",
        "score",
        "decision_number",
        "decision_date",
        "issued_on",
        "expires_on",
        "issuer_name",
        "source",
    )
    assert {name: tuple(getattr(c, f) for f in fields) for name, c in certificates.items()} == {
        "Kẹo dừa sữa": (
            4, False, Decimal("78.00"), "1234/QĐ-UBND", datetime.date(2022, 5, 10),
            datetime.date(2022, 5, 10), datetime.date(2025, 5, 10), "UBND tỉnh Bến Tre", "import",
        ),
        "Kẹo dừa sầu riêng": (
            3, False, Decimal("65.50"), "1234/QĐ-UBND", datetime.date(2022, 5, 10),
            datetime.date(2022, 5, 10), datetime.date(2025, 5, 10), "UBND tỉnh Bến Tre", "import",
        ),
        "Cá khô một nắng Bông Lau": (
            4, True, Decimal("91.00"), "2001/QĐ-UBND", datetime.date(2022, 7, 15),
            datetime.date(2022, 7, 15), datetime.date(2025, 7, 15), "UBND tỉnh Bến Tre", "import",
        ),
    }  # fmt: skip
    numbers = sorted(c.number for c in certificates.values())
    assert len(set(numbers)) == 3
    assert all(re.fullmatch(r"83-[0-9A-Za-z-]+-2022", n) for n in numbers)
    assert certificates["Kẹo dừa sữa"].issuer_unit == unit("83")
    assert certificates["Cá khô một nắng Bông Lau"].issuer_unit is None
    summary = ActivityLog.objects.get(action="registry.import.completed")
    assert summary.data == {
        "file": "ben-tre-2022.xlsx",
        "rows": 3,
        "created": {"producers": 2, "products": 3, "certificates": 3},
        "existing": {"producers": 0, "products": 0, "certificates": 0},
        "dry_run": False,
    }
    assert ActivityLog.objects.filter(data__import=summary.pk).count() == 2 + 3 + 3
    assert out.strip().endswith(".")
    assert_no_number_after_dong(out)


def test_import_derives_both_maps_like_the_producer_model(tmp_path, admin_units):
    write_xlsx(tmp_path / "f.xlsx", HAPPY_ROWS)

    run(tmp_path / "f.xlsx")

    for producer in Producer.objects.all():
        expected = Producer(commune=producer.commune)
        expected.derive_communes()
        assert (producer.legacy_commune_id, producer.current_commune_id) == (
            expected.legacy_commune_id,
            expected.current_commune_id,
        )


BAD_ROWS = [
    row(),  # 2: good, duplicated by row 10
    row(**{"Tên sản phẩm": "Bánh phồng", "Xã": "Xã Không Có"}),  # 3
    row(**{"Tên sản phẩm": "Bánh tráng", "Hạng sao": 6}),  # 4
    row(**{"Tên sản phẩm": "Bánh xèo", "Ngày quyết định": "31/02/2022"}),  # 5
    row(**{"Tên sản phẩm": ""}),  # 6
    row(**{"Tên sản phẩm": "Mứt dừa", "Loại hình chủ thể": "Công ty ma"}),  # 7
    row(**{"Tên sản phẩm": "Rượu dừa", "Mã số thuế": "12345"}),  # 8
    row(**{"Tên sản phẩm": "Bưởi da xanh", "Huyện": "", "Xã": "An Thạnh"}),  # 9
    row(),  # 10: same product, decision number and date as row 2
    row(**{"Tên sản phẩm": "Dừa sáp", "Hạng sao": "2 sao", "Số quyết định": "", "Điểm": "abc"}),  # 11
]
BAD_LINES = [
    "Dòng 3: không có xã «Xã Không Có» thuộc Thành phố Bến Tre, Tỉnh Bến Tre (trước 01/07/2025)",
    "Dòng 4: hạng sao «6» không hợp lệ (chỉ 3, 4 hoặc 5 sao)",
    "Dòng 5: ngày quyết định «31/02/2022» không phải ngày hợp lệ (dd/mm/yyyy)",
    "Dòng 6: thiếu Tên sản phẩm",
    "Dòng 7: loại hình chủ thể «Công ty ma» không xác định (hợp tác xã, doanh nghiệp, hộ kinh doanh, "
    "tổ hợp tác hoặc cơ sở sản xuất)",
    "Dòng 8: mã số thuế «12345» không hợp lệ (10 chữ số, 10-3 với chi nhánh, 12 chữ số hoặc mã hộ kinh "
    "doanh như 56A8001234)",
    "Dòng 9: có nhiều xã tên «An Thạnh» thuộc Tỉnh Bến Tre, cần ghi cột Huyện",
    "Dòng 10: trùng với hàng 2 của bảng tính (cùng chủ thể, sản phẩm, số và ngày quyết định)",
    "Dòng 11: thiếu Số quyết định; hạng sao «2 sao» không hợp lệ (chỉ 3, 4 hoặc 5 sao); "
    "điểm «abc» không hợp lệ (một số từ 0 đến 100)",
]


def test_bad_rows_are_all_listed_and_nothing_is_written(tmp_path, admin_units):
    path = write_xlsx(tmp_path / "bad.xlsx", BAD_ROWS)
    before = counts()

    out, err, error = run(path)

    assert error is not None and error.returncode != 0
    assert out.splitlines() == BAD_LINES
    assert counts() == before
    assert Sequence.objects.count() == 0
    assert_no_number_after_dong(out + err + str(error))


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        ({"Xã": "Xã Không Có", "Huyện": ""}, "Dòng 2: không có xã «Xã Không Có» thuộc Tỉnh Bến Tre (trước 01/07/2025)"),
        ({"Hạng sao": 2}, "Dòng 2: hạng sao «2» không hợp lệ (chỉ 3, 4 hoặc 5 sao)"),
        ({"Ngày quyết định": "30/02/2023"}, "Dòng 2: ngày quyết định «30/02/2023» không phải ngày hợp lệ (dd/mm/yyyy)"),
        ({"Ngày quyết định": "10/05/2099"}, "Dòng 2: ngày quyết định 10/05/2099 ở tương lai"),
        ({"Ngày hết hạn": "01/01/2020"}, "Dòng 2: ngày hết hạn 01/01/2020 không sau ngày quyết định 10/05/2022"),
        ({"Chủ thể": "", "Xã": ""}, "Dòng 2: thiếu Chủ thể, Xã"),
        ({"Loại hình chủ thể": "Tập đoàn"}, "Dòng 2: loại hình chủ thể «Tập đoàn» không xác định (hợp tác xã, doanh nghiệp, hộ kinh doanh, tổ hợp tác hoặc cơ sở sản xuất)"),
        ({"Mã số thuế": "ABC"}, "Dòng 2: mã số thuế «ABC» không hợp lệ (10 chữ số, 10-3 với chi nhánh, 12 chữ số hoặc mã hộ kinh doanh như 56A8001234)"),
        ({"Tỉnh": "Bến Tre", "Ngày quyết định": "15/09/2025"}, "Dòng 2: không có tỉnh «Bến Tre» trên bản đồ hành chính từ 01/07/2025"),
        ({"Huyện": "Huyện Không Có"}, "Dòng 2: không có huyện «Huyện Không Có» thuộc Tỉnh Bến Tre"),
        ({"Bộ sản phẩm": 27}, "Dòng 2: bộ sản phẩm «27» không xác định (số từ 1 đến 26 hoặc tên bộ)"),
        ({"Tiềm năng 5 sao": "chắc vậy"}, "Dòng 2: tiềm năng 5 sao «chắc vậy» không rõ (ghi x, có hoặc để trống)"),
        ({"Tên sản phẩm": "Nước mắm dòng 3", "Hạng sao": 7}, "Dòng 2: hạng sao «7» không hợp lệ (chỉ 3, 4 hoặc 5 sao)"),
    ],
)  # fmt: skip
def test_each_bad_input_gives_its_exact_line(tmp_path, admin_units, cells, line):
    path = write_xlsx(tmp_path / "one.xlsx", [row(**cells)])

    out, _err, error = run(path)

    assert error is not None
    assert out.splitlines() == [line]
    assert counts() == (0, 0, 0, 0)


def test_reimporting_the_same_file_creates_nothing_new(tmp_path, admin_units):
    path = write_xlsx(tmp_path / "f.xlsx", HAPPY_ROWS)
    run(path)
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    before = counts()

    out, _err, error = run(path)

    assert error is None
    assert counts() == (before[0], before[1], before[2], before[3] + 1)  # only the summary row
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers
    assert ActivityLog.objects.filter(action="registry.import.completed").first().data["created"] == {
        "producers": 0,
        "products": 0,
        "certificates": 0,
    }
    assert_no_number_after_dong(out)


def test_reimport_matches_names_and_decisions_without_regard_to_case_or_diacritics(tmp_path, admin_units):
    run(write_xlsx(tmp_path / "a.xlsx", HAPPY_ROWS[2:]))
    variant = row(
        **{
            "Tên sản phẩm": "CA KHO MOT NANG BONG LAU",
            "Chủ thể": "ho kinh doanh tran thi lan",
            "Loại hình chủ thể": "hkd",
            "Mã số thuế": "",
            "Huyện": "Huyen Ba Tri",
            "Xã": "my thanh",
            "Số quyết định": "2001/QD-UBND",
            "Ngày quyết định": "15/07/2022",
        }
    )

    result = import_products(write_xlsx(tmp_path / "b.xlsx", [variant]), file_name="b.xlsx")

    assert (result.created, counts()[:3]) == ({"producers": 0, "products": 0, "certificates": 0}, (1, 1, 1))


def test_existing_producer_is_reused_by_tax_code(tmp_path, admin_units):
    existing = ProducerFactory(tax_code="1300123456", name="HTX Dừa Xanh (tên cũ)")

    run(write_xlsx(tmp_path / "f.xlsx", HAPPY_ROWS[:2]))

    assert list(Producer.objects.all()) == [existing]
    assert set(Product.objects.values_list("producer", flat=True)) == {existing.pk}


def test_dry_run_writes_nothing(tmp_path, admin_units):
    path = write_xlsx(tmp_path / "f.xlsx", HAPPY_ROWS)

    out, _err, error = run(path, "--dry-run")
    result = import_products(path, dry_run=True)

    assert error is None
    assert counts() == (0, 0, 0, 0)
    assert Sequence.objects.count() == 0
    assert (result.ok, result.created) == (True, {"producers": 2, "products": 3, "certificates": 3})
    assert_no_number_after_dong(out)


def test_dry_run_reports_bad_rows_too(tmp_path, admin_units):
    out, _err, error = run(write_xlsx(tmp_path / "bad.xlsx", BAD_ROWS), "--dry-run")

    assert (out.splitlines(), error is not None) == (BAD_LINES, True)


def test_headers_match_without_diacritics_case_or_order_and_extra_columns_are_ignored(tmp_path, admin_units):
    headers = [
        "GHI CHU",
        "ngay quyet dinh",
        "so quyet dinh",
        "HANG SAO",
        "xa",
        "Huyen",
        "TINH",
        "ma so thue",
        "LOAI HINH CHU THE",
        "chu the",
        "ten san pham",
        "Bo San Pham",
        "Số điện thoại",
    ]
    cells = {
        "ngay quyet dinh": "10/05/2022",
        "so quyet dinh": "1234/QĐ-UBND",
        "HANG SAO": "4 SAO",
        "xa": "28756",
        "Huyen": "",
        "TINH": 83,
        "ma so thue": 1300123456,
        "LOAI HINH CHU THE": "hop tac xa",
        "chu the": "HTX Dừa Xanh",
        "ten san pham": "Kẹo dừa",
        "Bo San Pham": "7 - Chế biến từ rau, củ, quả, hạt",
        "GHI CHU": "đã kiểm tra",
        "Số điện thoại": "0909123456",
    }
    path = tmp_path / "variant.xlsx"
    path.write_bytes(workbook_bytes([cells], headers=headers, extra_sheets=["Sheet2"]))

    _out, _err, error = run(path)

    assert error is None
    product = Product.objects.select_related("producer").get()
    assert (product.name, product.product_set, product.producer.tax_code, product.producer.commune) == (
        "Kẹo dừa",
        7,
        "1300123456",
        unit("28756"),
    )
    assert product.certificates.get().star == 4


def test_missing_required_column_refuses_the_file(tmp_path, admin_units):
    headers = [h for h in HEADERS if h not in ("Xã*", "Hạng sao*")]
    path = tmp_path / "cols.xlsx"
    path.write_bytes(workbook_bytes([row()], headers=headers))

    out, err, error = run(path)

    assert error is not None
    assert "Xã" in str(error) and "Hạng sao" in str(error)
    assert counts() == (0, 0, 0, 0)
    assert_no_number_after_dong(out + err + str(error))


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, admin_units):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"%PDF-1.4 not a spreadsheet")

    with pytest.raises(ImportFileError):
        import_products(path)
    _out, _err, error = run(path)

    assert error is not None and counts() == (0, 0, 0, 0)


def test_excel_date_cells_and_serial_numbers_are_read(tmp_path, admin_units):
    rows = [
        row(**{"Ngày quyết định": datetime.datetime(2022, 5, 10), "Ngày hết hạn": datetime.date(2025, 6, 1)}),
        row(**{"Tên sản phẩm": "Kẹo dừa lá dứa", "Ngày quyết định": 44691}),  # serial of 10/05/2022
    ]

    _out, _err, error = run(write_xlsx(tmp_path / "dates.xlsx", rows))

    assert error is None
    assert sorted(Certificate.objects.values_list("issued_on", "expires_on")) == [
        (datetime.date(2022, 5, 10), datetime.date(2025, 5, 10)),
        (datetime.date(2022, 5, 10), datetime.date(2025, 6, 1)),
    ]


def test_units_are_resolved_on_the_map_in_force_at_the_decision_date(tmp_path, admin_units):
    rows = [
        row(**{"Huyện": "Huyện Ba Tri", "Xã": "Mỹ Thạnh", "Ngày quyết định": "10/05/2022"}),
        row(
            **{
                "Tên sản phẩm": "Mật ong hoa dừa",
                "Chủ thể": "Hợp tác xã Ong Mật",
                "Mã số thuế": "1500234567",
                "Tỉnh": "Vĩnh Long",
                "Huyện": "",
                "Xã": "Ba Tri",
                "Ngày quyết định": "15/09/2025",
                "Số quyết định": "88/QĐ-UBND",
            }
        ),
    ]

    _out, _err, error = run(write_xlsx(tmp_path / "maps.xlsx", rows))

    assert error is None
    legacy = Producer.objects.get(tax_code="1300123456")
    current = Producer.objects.get(tax_code="1500234567")
    assert (legacy.commune.map, legacy.commune.code, legacy.commune.district.name) == (
        "legacy",
        "29131",
        "Huyện Ba Tri",
    )
    assert (current.commune.map, current.commune.name, current.commune.province.code) == (
        "current",
        "Xã Ba Tri",
        "86",
    )
    numbers = dict(Certificate.objects.values_list("decision_number", "number"))
    assert numbers["1234/QĐ-UBND"].startswith("83-")
    assert numbers["88/QĐ-UBND"].startswith("86-")
    assert Certificate.objects.get(decision_number="88/QĐ-UBND").issuer_name == "UBND tỉnh Vĩnh Long"


def test_a_later_certificate_of_the_same_product_supersedes_the_earlier_one(tmp_path, admin_units):
    rows = [
        row(**{"Hạng sao": 3, "Số quyết định": "500/QĐ-UBND", "Ngày quyết định": "01/03/2020"}),
        row(**{"Hạng sao": 4, "Số quyết định": "900/QĐ-UBND", "Ngày quyết định": "15/02/2023"}),
    ]

    run(write_xlsx(tmp_path / "history.xlsx", rows))

    old, new = Certificate.objects.order_by("issued_on")
    assert (old.superseded_on, old.superseded_by, new.superseded_on) == (
        datetime.date(2023, 2, 15),
        new,
        None,
    )
    assert Product.objects.count() == 1


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "star"),
    [(4, 4), (4.0, 4), ("4", 4), ("4 sao", 4), ("4 Sao", 4), ("4★", 4), ("5 ★", 5), ("4*", 4), ("4,5", None), ("bốn", None)],
)  # fmt: skip
def test_parse_star(value, star):
    assert parse_star(value) == star


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10/05/2022", datetime.date(2022, 5, 10)),
        ("1/5/2022", datetime.date(2022, 5, 1)),
        ("2022-05-10", datetime.date(2022, 5, 10)),
        ("10/05/2022 00:00:00", datetime.date(2022, 5, 10)),
        (44691, datetime.date(2022, 5, 10)),
        (datetime.datetime(2022, 5, 10, 0, 0), datetime.date(2022, 5, 10)),
        ("31/02/2022", None),
        ("hôm qua", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.unit
def test_parse_product_set_and_tax_code():
    assert [parse_product_set(v) for v in (7, "07", "Bộ 26", "Gia vị khác (muối, hành, tỏi, tiêu)", "Hoa", "x")] == [
        7, 7, 26, 10, 23, None,
    ]  # fmt: skip
    assert [parse_tax_code(v) for v in (301234567, "0301 234 567", "56a8001234", 79123456789)] == [
        "0301234567", "0301234567", "56A8001234", "079123456789",
    ]  # fmt: skip


def test_a_new_product_needs_its_product_set_unless_the_model_allows_none(tmp_path, admin_units):
    out, _err, error = run(write_xlsx(tmp_path / "f.xlsx", [row(**{"Bộ sản phẩm": ""})]))

    if Product._meta.get_field("product_set").null:
        assert error is None
    else:
        assert out.splitlines() == ["Dòng 2: thiếu Bộ sản phẩm (cần cho sản phẩm chưa có trên nền tảng)"]
        assert counts() == (0, 0, 0, 0)


def test_an_existing_product_needs_no_product_set(tmp_path, admin_units):
    run(write_xlsx(tmp_path / "a.xlsx", [row()]))

    _out, _err, error = run(
        write_xlsx(tmp_path / "b.xlsx", [row(**{"Bộ sản phẩm": "", "Số quyết định": "77/QĐ-UBND"})])
    )

    assert error is None
    assert (Product.objects.count(), Certificate.objects.count()) == (1, 2)


def test_a_household_keeps_one_record_across_the_reform(tmp_path, admin_units):
    # Same household without a tax code: a 2022 row on the legacy map, a 2025-09 row on the current one.
    household = {"Chủ thể": "Hộ kinh doanh Lê Văn Tám", "Loại hình chủ thể": "HKD", "Mã số thuế": ""}
    rows = [
        row(**household),
        row(
            **household,
            **{
                "Tên sản phẩm": "Bánh tráng dừa",
                "Tỉnh": "86",
                "Huyện": "",
                "Xã": "Phường Phú Khương",
                "Ngày quyết định": "20/09/2025",
                "Số quyết định": "15/QĐ-UBND",
            },
        ),
    ]

    _out, _err, error = run(write_xlsx(tmp_path / "f.xlsx", rows))

    assert error is None
    assert Producer.objects.count() == 1
    assert Product.objects.filter(producer=Producer.objects.get()).count() == 2


def test_certificate_numbers_continue_the_platform_counter(tmp_path, admin_units):
    from ocop.certificates.domain import new_certificate_number

    first = new_certificate_number(province_code="83", year=2022)
    run(write_xlsx(tmp_path / "f.xlsx", HAPPY_ROWS))
    after = new_certificate_number(province_code="83", year=2022)

    imported = set(Certificate.objects.values_list("number", flat=True))
    assert first not in imported and after not in imported
    assert Sequence.objects.get(key="certificate:83:2022").value == 5  # 1 + 3 imported + 1
