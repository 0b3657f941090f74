"""Acceptance: the demo province's report as of 31/07/2022 states the published figures."""

import io

import pytest
from django.core.management import call_command

from ocop.geo.models import AdminUnit
from ocop.programme.models import Plan, SupportRecord, TrainingCourse

pytestmark = pytest.mark.integration


def test_demo_report_states_the_published_figures(admin_units):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    out = io.StringIO()

    call_command("ocop_report", "--province", "83", "--as-of", "2022-07-31", stdout=out)

    text = out.getvalue()
    total = AdminUnit.objects.filter(map="legacy", level="commune", province__code="83").count()
    assert (
        "toàn tỉnh có 131 sản phẩm OCOP của 54 chủ thể, gồm 66 sản phẩm đạt 3 sao và 65 sản phẩm đạt 4 sao, "
        "trong đó có 16 sản phẩm được đánh giá tiềm năng 5 sao" in text
    )
    assert f"Có 41/{total} đơn vị cấp xã (gồm 34 xã, 5 phường, 2 thị trấn của 9 huyện, thành phố)" in text
    assert f"đạt {41 * 100 / total:.2f}%".replace(".", ",") in text
    assert "Bản đồ hành chính trước ngày 01/7/2025" in text
    assert (Plan.objects.count(), TrainingCourse.objects.count(), SupportRecord.objects.count()) == (2, 3, 24)
