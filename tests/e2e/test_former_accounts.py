"""#14 items 1-2 in the browser: the former Bến Tre officer is refused a change with the read-only
message; the current Vĩnh Long officer moves that account to Vĩnh Long in one step from the office
(no Django admin), after which it acts again."""

import pytest

from ocop.accounts.models import RoleAssignment
from ocop.core.models import ActivityLog

from .conftest import switch as switch_to

pytestmark = pytest.mark.e2e


def switch(page, username):
    return switch_to(page, username, landing="**/office/**")


def test_successor_moves_a_former_province_account_from_the_office(
    page, province_officer, vinh_long_officer, producer_org
):
    base = page.base_url
    switch(page, "province")
    response = page.goto(base + f"/office/producers/{producer_org.pk}/edit/")
    assert response.status == 403
    assert "Tài khoản của tỉnh cũ chỉ xem" in page.locator("main").inner_text()

    switch(page, "vinhlong")
    page.goto(base + "/office/accounts/")
    page.click("a[href='/office/accounts/former-map/']")
    row = page.locator("tr", has_text="province")
    assert "bản đồ cũ" in row.inner_text()
    row.locator("input[name=confirm]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/office/accounts/former-map/")
    assert "Đã chuyển 1 vai trò" in page.locator(".msg-success").inner_text()
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("unit__map", "unit__code")
    ) == [("current", "86")]
    assert (
        ActivityLog.objects.filter(action="accounts.role.moved_to_successor", actor=vinh_long_officer).count()
        == 1
    )

    switch(page, "province")  # the moved account edits again
    assert page.goto(base + f"/office/producers/{producer_org.pk}/edit/").status == 200
