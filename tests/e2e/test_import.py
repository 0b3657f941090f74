"""The import page in Chromium: a provincial officer uploads a list, reads the preview, confirms."""

import pytest

from ocop.certificates.models import Certificate
from ocop.registry.models import Product

from ..factories import PASSWORD
from ..registry.xlsx import row, write_xlsx
from .conftest import login

pytestmark = pytest.mark.e2e


def test_officer_imports_a_list_after_the_preview(page, vinh_long_officer, tmp_path):
    good = write_xlsx(tmp_path / "ben-tre.xlsx", [row(), row(**{"Tên sản phẩm": "Kẹo dừa lá dứa"})])
    bad = write_xlsx(tmp_path / "sai.xlsx", [row(**{"Hạng sao": 6})])
    login(page, "vinhlong", PASSWORD)
    page.wait_for_url("**/office/")
    page.click("nav details.menu:has(a[href='/office/import/']) > summary")  # open the menu group
    page.click("nav a[href='/office/import/']")

    page.set_input_files("#id_file", str(bad))
    page.click("button[type=submit]")
    assert page.locator("#import-errors li").all_inner_texts() == [
        "Dòng 2: hạng sao «6» không hợp lệ (chỉ 3, 4 hoặc 5 sao)"
    ]
    assert page.locator("form[action='/office/import/confirm/']").count() == 0

    page.set_input_files("#id_file", str(good))
    page.click("form[enctype] button[type=submit]")
    page.locator("form[action='/office/import/confirm/'] button").click()
    page.wait_for_url("**/office/import/")

    assert page.locator(".msg-success").count() == 1
    assert sorted(Product.objects.values_list("name", flat=True)) == ["Kẹo dừa lá dứa", "Kẹo dừa sữa"]
    assert Certificate.objects.count() == 2
