import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.core.dates import add_months
from ocop.core.formats import format_number, format_percent
from ocop.core.text import fold, fold_unit_name

pytestmark = pytest.mark.unit


def test_fold_strips_marks_and_d():
    assert fold("Kẹo Dừa Bến Tre") == "keo dua ben tre"
    assert fold("Hợp tác xã Đồng Khởi") == "hop tac xa dong khoi"


def test_fold_unit_name_drops_prefix():
    assert fold_unit_name("Thị trấn Mỏ Cày") == "mo cay"
    assert fold_unit_name("Tỉnh Bến Tre") == "ben tre"


@given(st.text(max_size=60))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_percent_in_vietnamese_format():
    assert format_percent(41, 157, lang="vi") == "26,11%"
    assert format_percent(20, 41, lang="vi") == "48,78%"
    assert format_number(1234.5, 1, lang="vi") == "1.234,5"
    assert format_number(1137, lang="vi") == "1.137"
    assert format_number(1234.5, 1, lang="en") == "1,234.5"


def test_add_months_clamps_to_month_end():
    assert add_months(datetime.date(2022, 7, 18), 36) == datetime.date(2025, 7, 18)
    assert add_months(datetime.date(2023, 2, 28), 36) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2021, 8, 31), 36) == datetime.date(2024, 8, 31)
    assert add_months(datetime.date(2022, 11, 30), 15) == datetime.date(2024, 2, 29)
