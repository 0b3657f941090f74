import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.errors import DomainError
from ocop.core.models import ActivityLog
from ocop.programme import domain
from ocop.programme.models import Attendee, Plan, SupportRecord
from ocop.reports.kpis import plan_progress
from ocop.reports.scope import Scope
from tests.factories import CertificateFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.integration


def _course(actor, province):
    """A two-day course in May 2023."""
    return domain.create_course(
        actor=actor,
        province=province,
        title="T",
        starts_on=datetime.date(2023, 5, 1),
        ends_on=datetime.date(2023, 5, 2),
    )


def test_create_plan_saves_targets_and_logs(ben_tre, vinh_long_officer):
    plan = domain.create_plan(
        actor=vinh_long_officer,
        unit=ben_tre,
        year=2023,
        title="KH 2023",
        targets={"new_products": 45, "upgraded": 30, "recertified": ""},
    )

    assert dict(plan.targets.values_list("indicator", "value")) == {"new_products": 45, "upgraded": 30}
    log = ActivityLog.objects.get(action="programme.plan.created")
    assert (log.actor, log.data) == (
        vinh_long_officer,
        {"unit": "83", "year": 2023, "targets": {"new_products": 45, "upgraded": 30}},
    )


def test_create_plan_refuses_duplicate_year(ben_tre, vinh_long_officer):
    domain.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2023, title="A")

    with pytest.raises(DomainError) as excinfo:
        domain.create_plan(actor=vinh_long_officer, unit=ben_tre, year=2023, title="B")

    assert excinfo.value.code == "duplicate"
    assert list(Plan.objects.values_list("title", flat=True)) == ["A"]


def test_create_plan_refuses_other_province(ben_tre, other_province_officer):
    with pytest.raises(PermissionDenied):
        domain.create_plan(actor=other_province_officer, unit=ben_tre, year=2023, title="X")

    assert not Plan.objects.exists()


def test_create_plan_refuses_negative_target(ben_tre, vinh_long_officer):
    with pytest.raises(DomainError):
        domain.create_plan(
            actor=vinh_long_officer, unit=ben_tre, year=2023, title="X", targets={"upgraded": -1}
        )

    assert not Plan.objects.exists()


def test_update_plan_changes_targets_and_logs_diff(ben_tre, vinh_long_officer):
    plan = domain.create_plan(
        actor=vinh_long_officer, unit=ben_tre, year=2023, title="A", targets={"upgraded": 30}
    )

    domain.update_plan(plan, actor=vinh_long_officer, title="B", targets={"upgraded": 25, "new_products": 45})

    plan.refresh_from_db()
    assert (plan.title, dict(plan.targets.values_list("indicator", "value"))) == (
        "B",
        {"upgraded": 25, "new_products": 45},
    )
    log = ActivityLog.objects.get(action="programme.plan.updated")
    assert log.data == {
        "title": ["A", "B"],
        "targets": [{"upgraded": 30}, {"upgraded": 25, "new_products": 45}],
    }


def test_plan_progress_is_computed_from_data(ben_tre, vinh_long_officer, producer_org):
    plan = domain.create_plan(
        actor=vinh_long_officer,
        unit=ben_tre,
        year=2023,
        title="A",
        targets={"new_products": 4, "upgraded": 2, "producers_trained": 10, "officials_trained": 5},
    )
    CertificateFactory(product=ProductFactory(producer=producer_org), issued_on=datetime.date(2023, 3, 1))
    CertificateFactory(product=ProductFactory(producer=producer_org), issued_on=datetime.date(2023, 9, 1))
    CertificateFactory(product=ProductFactory(producer=producer_org), issued_on=datetime.date(2022, 9, 1))
    CertificateFactory(
        product=ProductFactory(producer=producer_org), issued_on=datetime.date(2023, 4, 1), kind="upgrade"
    )
    course = _course(vinh_long_officer, ben_tre)
    domain.add_attendee(course, actor=vinh_long_officer, producer=producer_org)
    domain.add_attendee(course, actor=vinh_long_officer, user=vinh_long_officer)

    progress = plan_progress(plan, Scope(datetime.date(2023, 6, 30), ben_tre))

    assert [(t["indicator"], t["achieved"], t["target"], t["percent"]) for t in progress["targets"]] == [
        ("new_products", 1, 4, 25.0),
        ("upgraded", 1, 2, 50.0),
        ("producers_trained", 1, 10, 10.0),
        ("officials_trained", 1, 5, 20.0),
    ]


def test_add_attendee_refuses_producer_of_other_province(ben_tre, vinh_long_officer, other_producer):
    course = _course(vinh_long_officer, ben_tre)

    with pytest.raises(DomainError) as excinfo:
        domain.add_attendee(course, actor=vinh_long_officer, producer=other_producer.producer)

    assert excinfo.value.code == "out_of_scope"
    assert not Attendee.objects.exists()


def test_add_attendee_twice_is_refused(ben_tre, vinh_long_officer, producer_org):
    course = _course(vinh_long_officer, ben_tre)
    domain.add_attendee(course, actor=vinh_long_officer, producer=producer_org)

    with pytest.raises(DomainError):
        domain.add_attendee(course, actor=vinh_long_officer, producer=producer_org)

    assert Attendee.objects.count() == 1


def test_create_course_refuses_end_before_start(ben_tre, vinh_long_officer):
    with pytest.raises(DomainError) as excinfo:
        domain.create_course(
            actor=vinh_long_officer,
            province=ben_tre,
            title="T",
            starts_on=datetime.date(2023, 5, 2),
            ends_on=datetime.date(2023, 5, 1),
        )

    assert excinfo.value.code == "bad_dates"


def test_record_support_logs(vinh_long_officer, producer_org):
    record = domain.record_support(
        actor=vinh_long_officer,
        producer=producer_org,
        kind="packaging",
        given_on=datetime.date(2023, 1, 5),
        amount=Decimal(1_000_000),
    )

    assert SupportRecord.objects.get().pk == record.pk
    assert ActivityLog.objects.get(action="programme.support.recorded").data["amount"] == "1000000"


def test_record_support_refuses_other_province(other_province_officer, producer_org):
    with pytest.raises(PermissionDenied):
        domain.record_support(
            actor=other_province_officer, producer=producer_org, kind="ip", given_on=datetime.date(2023, 1, 5)
        )

    assert not SupportRecord.objects.exists()


def test_record_support_refuses_negative_amount(vinh_long_officer, producer_org):
    with pytest.raises(DomainError):
        domain.record_support(
            actor=vinh_long_officer,
            producer=producer_org,
            kind="ip",
            given_on=datetime.date(2023, 1, 5),
            amount=Decimal(-1),
        )

    assert not SupportRecord.objects.exists()


def test_record_support_refuses_product_of_other_producer(vinh_long_officer, producer_org):
    other = ProductFactory(producer=ProducerFactory())

    with pytest.raises(DomainError):
        domain.record_support(
            actor=vinh_long_officer,
            producer=producer_org,
            kind="ip",
            given_on=datetime.date(2023, 1, 5),
            product=other,
        )
