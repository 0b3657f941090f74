"""One write path for certificates (issue #12 "Also", issue #15): numbering, supersession with its log
rows, issuing scope and cache refresh live in certificates.domain, and the importer goes through it."""

import datetime

import pytest
from django.core.cache import cache

from ocop.catalog.readmodel import drift
from ocop.certificates import domain
from ocop.certificates.importer import import_products
from ocop.certificates.models import Certificate
from ocop.core.models import ActivityLog, Sequence

from ..factories import CertificateFactory, ProductFactory, unit
from ..registry.xlsx import row, workbook_bytes

pytestmark = pytest.mark.integration


def test_new_certificate_numbers_takes_a_block_and_skips_numbers_taken(admin_units):
    CertificateFactory(number="83-00002-2022")

    numbers = domain.new_certificate_numbers(
        province_code="83", year=2022, day=datetime.date(2022, 5, 1), count=3
    )

    assert numbers == ["83-00001-2022", "83-00004-2022", "83-00003-2022"]
    assert Sequence.objects.get(key="certificate:83:2022").value == 4


def test_new_certificate_numbers_fills_the_commune_of_each(admin_units, ben_tre, province_officer):
    domain.set_number_pattern(ben_tre, actor=province_officer, pattern="BT-{commune}-{seq:03d}-{year}")

    numbers = domain.new_certificate_numbers(
        province_code="83", year=2023, day=datetime.date(2023, 1, 2), commune_codes=["28756", "29146"]
    )

    assert numbers == ["BT-28756-001-2023", "BT-29146-002-2023"]


def test_issue_certificate_keeps_the_issuing_scope(producer_org, province_officer):
    product = ProductFactory(producer=producer_org)

    cert = domain.issue_certificate(
        product,
        actor=province_officer,
        star=4,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2024, 2, 1),
        issuer_name="UBND tỉnh Bến Tre",
    )

    cert.refresh_from_db()
    assert (cert.number, cert.legacy_commune, cert.current_commune) == (
        "83-00001-2024",
        producer_org.legacy_commune,
        producer_org.current_commune,
    )
    assert [e.action for e in ActivityLog.objects.filter(object_id=str(cert.pk))] == [
        "certificates.certificate.issued"
    ]


@pytest.fixture
def in_force(producer_org):
    product = ProductFactory(producer=producer_org, name="Kẹo dừa sữa")
    return CertificateFactory(
        product=product,
        number="83-00001-2023",
        decision_date=datetime.date(2023, 3, 1),
        issued_on=datetime.date(2023, 3, 1),
        expires_on=datetime.date(2026, 3, 1),
    )


def test_import_supersedes_through_the_domain_with_log_rows_and_fresh_verify_answers(
    province_officer, producer_org, in_force, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "ben-tre.xlsx"
    later = {"Mã số thuế": producer_org.tax_code, "Chủ thể": producer_org.name, "Hạng sao": 5}
    path.write_bytes(
        workbook_bytes([row(**later, **{"Số quyết định": "77/QĐ-UBND", "Ngày quyết định": "01/06/2024"})])
    )
    cache.set(f"verify:cert:{in_force.number}", "stale answer", 300)

    with django_capture_on_commit_callbacks(execute=True):
        result = import_products(str(path), actor=province_officer)

    assert result.ok, result.error_lines()
    new = Certificate.objects.exclude(pk=in_force.pk).get()
    in_force.refresh_from_db()
    assert (in_force.superseded_on, in_force.superseded_by) == (datetime.date(2024, 6, 1), new)
    superseded = ActivityLog.objects.get(action="certificates.certificate.superseded")
    assert (superseded.object_id, superseded.actor, superseded.data) == (
        str(in_force.pk),
        province_officer,
        {"by": new.number},
    )
    issued = ActivityLog.objects.get(action="certificates.certificate.issued", object_id=str(new.pk))
    assert issued.data == {
        "star": 5,
        "decision": "77/QĐ-UBND",
        "issued_on": "2024-06-01",
        "expires_on": "2027-06-01",
        "source": "import",
        "import": result.log.pk,
    }
    assert (new.legacy_commune, new.current_commune) == (
        producer_org.legacy_commune,
        producer_org.current_commune,
    )
    assert cache.get(f"verify:cert:{in_force.number}") is None
    assert drift() == []


def test_import_of_two_generations_supersedes_the_older_within_the_file(
    province_officer, tmp_path, admin_units
):
    path = tmp_path / "ben-tre.xlsx"
    path.write_bytes(
        workbook_bytes(
            [
                row(**{"Số quyết định": "2/QĐ-UBND", "Ngày quyết định": "01/06/2024", "Hạng sao": 4}),
                row(**{"Số quyết định": "1/QĐ-UBND", "Ngày quyết định": "01/06/2022", "Hạng sao": 3}),
            ]
        )
    )

    result = import_products(str(path), actor=province_officer)

    assert result.ok, result.error_lines()
    older, newer = Certificate.objects.order_by("issued_on")
    assert (older.superseded_by, older.superseded_on, newer.superseded_by) == (
        newer,
        datetime.date(2024, 6, 1),
        None,
    )
    assert list(
        ActivityLog.objects.filter(action="certificates.certificate.superseded").values_list(
            "object_id", flat=True
        )
    ) == [str(older.pk)]
    assert older.legacy_commune == unit("28756")


def test_certificate_written_without_scope_falls_back_to_its_producer(
    producer_org, province_officer, other_province_officer
):
    from ocop.certificates.queries import certificates_for

    product = ProductFactory(producer=producer_org)
    Certificate.objects.bulk_create(  # bulk data (benchmarks) skips save(): no issuing scope
        [
            Certificate(
                number="B-000001",
                product=product,
                star=3,
                decision_number="1/QĐ-UBND",
                decision_date=datetime.date(2024, 1, 2),
                issuer_name="UBND tỉnh",
                issued_on=datetime.date(2024, 1, 2),
                expires_on=datetime.date(2027, 1, 2),
            )
        ]
    )
    cert = Certificate.objects.get()

    assert (cert.legacy_commune, list(certificates_for(province_officer))) == (None, [cert])
    assert list(certificates_for(other_province_officer)) == []
