import datetime

import pytest

from ocop.programme import domain
from ocop.programme.models import Plan

pytestmark = pytest.mark.integration


def test_plan_create_by_post(vinh_long, vinh_long_officer, client_for):
    response = client_for(vinh_long_officer).post(
        "/office/programme/plans/new/",
        {"year": 2023, "title": "KH 2023", "target_new_products": 45, "target_upgraded": ""},
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert (plan.unit, plan.title, dict(plan.targets.values_list("indicator", "value"))) == (
        vinh_long,
        "KH 2023",
        {"new_products": 45},
    )


def test_plan_create_negative_target_shows_error(ben_tre, vinh_long_officer, client_for):
    response = client_for(vinh_long_officer).post(
        "/office/programme/plans/new/", {"year": 2023, "title": "X", "target_upgraded": -3}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["target_upgraded"] == [
        "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ."
    ]
    assert not Plan.objects.exists()


def test_plan_detail_other_province_is_404(ben_tre, vinh_long_officer, other_province_officer, client_for):
    plan = domain.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2023, title="A")

    assert client_for(other_province_officer).get(f"/office/programme/plans/{plan.pk}/").status_code == 404


def test_plan_edit_by_council_member_is_403(ben_tre, vinh_long_officer, council_member, client_for):
    plan = domain.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2023, title="A")

    assert client_for(council_member).get(f"/office/programme/plans/{plan.pk}/").status_code == 200
    assert client_for(council_member).get(f"/office/programme/plans/{plan.pk}/edit/").status_code == 403


def test_plan_list_producer_is_403(producer, client_for):
    assert client_for(producer).get("/office/programme/plans/").status_code == 403


def test_plan_list_shows_only_own_province(
    ben_tre, tien_giang, vinh_long_officer, dong_thap_officer, client_for
):
    mine = domain.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2023, title="A")
    domain.create_plan(actor=dong_thap_officer, unit=tien_giang, year=2023, title="B")

    response = client_for(vinh_long_officer).get("/office/programme/plans/")

    assert [r["plan"] for r in response.context["rows"]] == [mine]


def _course(officer, province):
    """A two-day training course of `province`, created by `officer`."""
    return domain.create_course(
        actor=officer,
        province=province,
        title="T",
        starts_on=datetime.date(2023, 5, 1),
        ends_on=datetime.date(2023, 5, 2),
    )


def test_course_add_attendee_by_post(ben_tre, vinh_long_officer, producer_org, client_for):
    course = _course(vinh_long_officer, ben_tre)

    client_for(vinh_long_officer).post(
        f"/office/programme/training/{course.pk}/", {"producer": producer_org.pk}
    )

    assert list(course.attendees.values_list("producer_id", flat=True)) == [producer_org.pk]


def test_support_create_by_post(vinh_long_officer, producer_org, client_for):
    response = client_for(vinh_long_officer).post(
        "/office/programme/support/new/",
        {"producer": producer_org.pk, "kind": "barcode", "given_on": "2023-02-01", "amount": "2500000"},
    )

    assert response.status_code == 302
    listing = client_for(vinh_long_officer).get("/office/programme/support/")
    assert [(r.producer, r.kind) for r in listing.context["page"]] == [(producer_org, "barcode")]


def test_plan_create_for_a_commune_of_another_province_is_a_form_error(
    vinh_long, vinh_long_officer, client_for
):
    response = client_for(vinh_long_officer).post(
        "/office/programme/plans/new/",
        {"year": 2023, "title": "KH xã", "target_new_products": 2, "commune_code": "28249"},  # Tiền Giang
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Xã này không thuộc tỉnh của bạn."]
    assert not Plan.objects.exists()


def test_course_attendee_with_an_unknown_user_name_is_a_form_error(ben_tre, vinh_long_officer, client_for):
    course = _course(vinh_long_officer, ben_tre)

    response = client_for(vinh_long_officer).post(
        f"/office/programme/training/{course.pk}/", {"username": "khong-co-ai"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Không có cán bộ nào có tên đăng nhập này."]
    assert list(course.attendees.all()) == []
