"""#12 item 13: a second seed_demo after the demo data was edited adds nothing (every demo object is
keyed on a stable key, never on an editable field or a count); and the demo tells the story to today."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from ocop.accounts.domain import move_roles_to_successor
from ocop.accounts.models import User
from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.evaluation.models import Round
from ocop.market.models import Fair, SalePoint, TourismRoute
from ocop.programme.models import ConsultancyUnit, TrainingCourse
from ocop.registry.models import Producer, Product

pytestmark = pytest.mark.integration


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in ("accounts", "registry", "certificates", "evaluation", "programme", "market", "stamps", "core")
        and m._meta.model_name not in ("activitylog", "sequence")
    }


def test_seed_demo_adds_nothing_after_the_demo_data_was_edited(admin_units):
    call_command("seed_demo", stdout=io.StringIO())
    # An office edits what the demo made: names, codes, usernames, roles.
    Product.objects.filter(name="Kẹo dừa sữa Lương Quới").update(name="Kẹo dừa sữa Lương Quới (hộp 400 g)")
    producer = Producer.objects.get(name="Công ty TNHH Thủy sản Bông Lau")
    Producer.objects.filter(pk=producer.pk).update(name="Công ty TNHH Bông Lau", tax_code="1300999999")
    Round.objects.filter(name="Đợt 1 năm 2023 – tỉnh Bến Tre").update(name="Đợt 1/2023 (Bến Tre cũ)")
    Round.objects.filter(name__startswith="Đợt 2 năm 2026").update(name="Đợt 2/2026")
    SalePoint.objects.filter(pk=SalePoint.objects.order_by("pk").first().pk).update(
        name="Điểm OCOP (đổi tên)"
    )
    Fair.objects.filter(pk=Fair.objects.order_by("pk").first().pk).update(name="Hội chợ (đổi tên)")
    TourismRoute.objects.update(name="Tuyến Xứ Dừa")
    TrainingCourse.objects.filter(pk=TrainingCourse.objects.order_by("pk").first().pk).update(
        title="Tập huấn"
    )
    ConsultancyUnit.objects.filter(pk=ConsultancyUnit.objects.order_by("pk").first().pk).update(
        name="Trung tâm"
    )
    User.objects.filter(username="council_member_3").update(username="diep.huynh")
    move_roles_to_successor(User.objects.get(username="province_officer"), actor=SYSTEM)
    before = _counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == before


def test_demo_tells_the_story_to_today(admin_units):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    vinh_long_today = Certificate.objects.valid_on(today()).filter(
        product__producer__current_commune__province__code="86"
    )
    round_ = Round.objects.get(name__startswith="Đợt 2 năm 2026")
    july_2022 = Certificate.objects.valid_on(datetime.date(2022, 7, 31))
    assert (july_2022.count(), july_2022.filter(potential_5_star=True).count()) == (131, 16)
    assert vinh_long_today.count() > 120
    assert vinh_long_today.filter(potential_5_star=True).count() > 10
    assert set(vinh_long_today.filter(issued_on__gte="2025-07-01").values_list("issuer_name", flat=True)) == {
        "UBND tỉnh Vĩnh Long"
    }
    assert (
        round_.province.map,
        round_.province.code,
        round_.status,
        round_.submission_deadline > today(),
    ) == (
        "current",
        "86",
        "open",
        True,
    )
