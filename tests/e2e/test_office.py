"""The office is enough: the current Vĩnh Long officer creates a council member's account and puts it on
a council from the searchable list; a scoresheet keeps its choices after a refused submit."""

import pytest
from playwright.sync_api import expect

from ocop.accounts.enums import Role
from ocop.accounts.models import User
from ocop.evaluation.models import Scoresheet
from tests.evaluation.conftest import (  # noqa: F401
    demo_set,
    draft,
    in_scoring,
    members,
    open_round,
    product,
    round_,
)

from ..factories import PASSWORD, UserFactory, unit, with_role
from .conftest import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def vinh_long_officer(admin_units):
    return with_role(
        UserFactory(username="vinh_long_officer", full_name="Phan Thị Kiều"),
        Role.PROVINCE_OFFICER,
        unit=unit("86", map="current"),
    )


def test_officer_creates_council_member_and_adds_it_to_a_council(page, vinh_long_officer, demo_set):  # noqa: F811
    vinh_long = unit("86", map="current")
    vl_round = open_round(vinh_long, "Đợt 1 năm 2026")
    login(page, "vinh_long_officer", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/accounts/")
    page.click("a[href='/office/accounts/new/']")
    page.fill("#a-username", "ly.hoidong")
    page.fill("#a-full", "Lý Thị Hội")
    page.select_option("#a-role", Role.COUNCIL_MEMBER)
    page.select_option("#a-unit", str(vinh_long.pk))
    page.check("input[name=method][value=one_time]")
    page.fill("#a-password", "Mot-lan-2026!")
    page.click("form.card button.btn")
    page.wait_for_url("**/office/accounts/*/")
    assert "Đã tạo tài khoản." in page.content()

    page.goto(page.base_url + f"/office/evaluation/rounds/{vl_round.pk}/")
    page.fill("#member-q", "ly thi")
    expect(page.locator("#member-candidates label")).to_have_count(1)  # the htmx search narrowed the list
    expect(page.locator("#member-candidates label")).to_contain_text("Lý Thị Hội")
    page.check("#member-candidates input[name=user]")
    page.fill("#m-r", "Quyết định 15/QĐ-UBND thành lập hội đồng")
    page.click("form[action$='/members/'] button")
    assert "Đã thêm thành viên." in page.content()
    member = User.objects.get(username="ly.hoidong")
    assert list(vl_round.memberships.values_list("user", "body")) == [(member.pk, "council")]

    # The new member logs in with the one-time password and must choose their own first.
    page.context.clear_cookies()
    login(page, "ly.hoidong", "Mot-lan-2026!")
    page.wait_for_url("**/accounts/password/change/")


def test_scoresheet_keeps_choices_after_refused_submit(page, council_member, in_scoring):  # noqa: F811
    login(page, "council", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + f"/office/evaluation/dossiers/{in_scoring.pk}/score/")
    selects = page.locator("#scoresheet select[name^='c:']")
    count = selects.count()
    # Choose the best option everywhere but the first criterion; the running total follows.
    page.eval_on_selector_all(
        "#scoresheet select[name^='c:']",
        "els => els.forEach((s, i) => { if (i > 0) { s.selectedIndex = s.options.length - 1; } })",
    )
    page.dispatch_event("#scoresheet", "change")
    assert page.locator("#running-total [data-answered]").inner_text() == f"{count - 1}/{count}"
    chosen = page.eval_on_selector_all("#scoresheet select[name^='c:']", "els => els.map(s => s.value)")
    page.check("#confirm-submit")
    page.click("#submit-sheet")
    assert "Hãy chấm mọi tiêu chí trước khi nộp" in page.content()
    after = page.eval_on_selector_all("#scoresheet select[name^='c:']", "els => els.map(s => s.value)")
    assert (after, after[0]) == (chosen, "")
    assert Scoresheet.objects.filter(dossier=in_scoring).count() == 0
