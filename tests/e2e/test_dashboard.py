"""The office dashboard in a browser: KPIs, a click through to the list behind a figure, the
Excel download; plus the public statistics page. Screenshots go to docs/screenshots/."""

import datetime
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ocop.accounts.enums import Role
from tests.factories import (
    PASSWORD,
    CertificateFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    unit,
    with_role,
)

from .conftest import login

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def officer_with_data(admin_units):
    province = unit("83")
    coop = ProducerFactory(commune=unit("28756"))
    for i, star in enumerate([3, 3, 4]):
        CertificateFactory(
            product=ProductFactory(producer=coop, name=f"Kẹo dừa {i}"),
            star=star,
            issued_on=datetime.date(2022, 3, 1),
            decision_date=datetime.date(2022, 3, 1),
            expires_on=datetime.date(2025, 3, 1),
        )
    return with_role(UserFactory(username="vpdp"), Role.PROVINCE_OFFICER, unit=province)


def test_dashboard_kpi_click_through_and_xlsx_download(page, officer_with_data, tmp_path):
    login(page, "vpdp", PASSWORD)
    page.goto(page.base_url + "/office/reports/?as_of=2022-07-31")

    assert page.locator("[data-kpi=products] b").inner_text() == "3"
    assert page.locator("[data-kpi=star4] b").inner_text() == "1"
    if os.environ.get("OCOP_SCREENSHOTS"):
        page.screenshot(path=str(SHOTS / "reports-dashboard.png"), full_page=True)
    page.click("[data-kpi=star3]")
    page.wait_for_url("**/office/reports/list/**")
    assert page.locator("#list-count").inner_text() == "2"
    assert page.locator("#report-list tbody tr").count() == 2

    page.go_back()
    with page.expect_download() as info:
        page.click("text=Báo cáo (Excel)")
    path = tmp_path / "r.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert book.worksheets[1]["B2"].value == 3
    assert info.value.suggested_filename == "ocop-report-83-2022-07-31.xlsx"


def test_public_statistics_page_draws_charts(page, officer_with_data):
    page.goto(page.base_url + "/statistics/?province=83&as_of=2022-07-31")

    assert page.locator("[data-kpi=products] b").inner_text() == "3"
    page.wait_for_function("document.getElementById('trend-chart').width > 0")
    assert page.locator("[data-kpi=expiring]").count() == 0
