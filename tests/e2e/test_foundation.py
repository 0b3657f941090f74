import pytest

from ocop.accounts.models import User
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer, Product

from ..factories import PASSWORD, unit
from .conftest import login

pytestmark = pytest.mark.e2e


def test_login_shows_the_dashboard(page, province_officer):
    login(page, "province", PASSWORD)
    page.wait_for_url("**/office/")
    assert page.locator("h1").inner_text().startswith("Xin chào")


def test_wrong_password_shows_a_vietnamese_message(page, province_officer):
    login(page, "province", "wrong")
    assert "mật khẩu chính xác" in page.locator(".errorlist").inner_text()


def test_producer_registers_with_the_address_picker(page, admin_units):
    page.goto(page.base_url + "/accounts/register/")
    page.fill("#id_username", "htxcondung")
    page.fill("#id_full_name", "Trần Văn Dũng")
    page.fill("#id_account_email", "dung@example.vn")
    page.fill("#id_password1", "Dua-xanh-2025!")
    page.fill("#id_password2", "Dua-xanh-2025!")
    page.fill("#id_name", "Hợp tác xã Cồn Dũng")
    page.select_option("#id_kind", "cooperative")
    page.fill("#id_tax_code", "1300777777")
    picker = page.locator(".address-picker")
    picker.locator("select[name=map]").select_option("legacy")
    picker.locator("select[name=province]").select_option(label="Tỉnh Bến Tre")
    picker.locator("input[name=q]").fill("tan thach")
    commune = picker.locator("select[name=commune]")
    commune.locator("option", has_text="Tân Thạch").wait_for(state="attached")
    commune.select_option(label=commune.locator("option", has_text="Tân Thạch").inner_text())
    page.click("button[type=submit]")
    page.wait_for_url("**/office/")
    producer = Producer.objects.get(tax_code="1300777777")
    assert (producer.status, producer.commune.code) == (ProducerStatus.PENDING, "28804")
    assert User.objects.get(username="htxcondung").producer == producer


def test_producer_creates_a_product(page, producer, producer_org):
    login(page, "producer", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/producers/{producer_org.pk}/products/new/")
    page.fill("#id_name", "Kẹo dừa sữa lá dứa")
    page.select_option("#id_product_set", "7")
    page.fill("#id_gtin", "8934567890120")
    page.click("button[type=submit]")
    page.wait_for_url("**/office/products/*/")
    assert page.locator("h1").inner_text() == "Kẹo dừa sữa lá dứa"
    assert Product.objects.get().producer == producer_org
    assert unit("28756").province.code == "83"
