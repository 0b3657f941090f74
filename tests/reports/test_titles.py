"""Reports and dashboards title the unit asked for on the map in force at the report's date."""

import datetime

import pytest
from django.utils import translation

from ocop.reports.report import build_report
from ocop.reports.scope import resolve

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("code", "day", "title", "counting"),
    [
        ("83", datetime.date(2022, 7, 31), "Tỉnh Bến Tre (cũ)", ""),
        ("86", datetime.date(2022, 7, 31), "Tỉnh Vĩnh Long (cũ)", ""),
        (
            "86",
            datetime.date(2026, 12, 4),
            "Tỉnh Vĩnh Long",
            " · tính cả Tỉnh Bến Tre (cũ), Tỉnh Trà Vinh (cũ) và Tỉnh Vĩnh Long (cũ)",
        ),
    ],
)
def test_report_title_names_the_unit_on_the_map_of_its_date(admin_units, code, day, title, counting):
    with translation.override("vi"):
        report = build_report(resolve(day, province=code))
    assert (report.title, report.subtitle) == (
        f"Báo cáo kết quả thực hiện Chương trình OCOP – {title}",
        f"Tính đến ngày {day:%d/%m/%Y}{counting}",
    )


def test_public_dashboard_title_for_a_former_province(client, admin_units):
    html = client.get("/statistics/?province=83&as_of=2022-07-31").content.decode()
    assert "– Tỉnh Bến Tre (cũ)</h1>" in html
