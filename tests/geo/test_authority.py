"""One function names the issuing authority of a document dated D for unit U; one writes an address."""

import datetime

import pytest

from ocop.certificates.domain import issue_certificate
from ocop.certificates.pdf import certificate_pdf
from ocop.core.permissions import SYSTEM
from ocop.geo.authority import address_of, issuing_authority
from tests.factories import ProductFactory, unit
from tests.pdfinfo import pdf_info

pytestmark = [
    pytest.mark.integration,
    # This machine's WeasyPrint warns that HarfBuzz-Subset is missing; the PDF is the same.
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning"),
]

BEFORE, AFTER = datetime.date(2025, 6, 30), datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("code", "map_", "day", "expected"),
    [
        ("83", "legacy", BEFORE, ("UBND tỉnh Bến Tre", "legacy", "83", "Bến Tre")),
        ("83", "legacy", AFTER, ("UBND tỉnh Vĩnh Long", "current", "86", "Vĩnh Long")),
        ("84", "legacy", AFTER, ("UBND tỉnh Vĩnh Long", "current", "86", "Vĩnh Long")),
        ("86", "current", AFTER, ("UBND tỉnh Vĩnh Long", "current", "86", "Vĩnh Long")),
        ("86", "current", BEFORE, ("UBND tỉnh Vĩnh Long", "legacy", "86", "Vĩnh Long")),
        ("82", "legacy", BEFORE, ("UBND tỉnh Tiền Giang", "legacy", "82", "Tiền Giang")),
        ("82", "legacy", AFTER, ("UBND tỉnh Đồng Tháp", "current", "82", "Đồng Tháp")),
        ("28756", "legacy", AFTER, ("UBND tỉnh Vĩnh Long", "current", "86", "Vĩnh Long")),
    ],
)
def test_issuing_authority_before_and_after_the_reform(admin_units, code, map_, day, expected):
    authority = issuing_authority(unit(code, map_), day)
    assert (authority.name, authority.province.map, authority.code, authority.place) == expected


def test_district_committee_keeps_its_name_before_the_reform(admin_units):
    district = unit("836")  # Huyện Ba Tri, Bến Tre: recognised 3★ under QĐ 148 until 30/6/2025
    assert issuing_authority(district, BEFORE).name == "UBND huyện Ba Tri"
    assert issuing_authority(district, AFTER).name == "UBND tỉnh Vĩnh Long"


def test_address_today_names_the_current_commune_and_the_former_one(producer_org):
    producer_org.address = "Số 5 Đồng Khởi"
    today_address = address_of(producer_org, AFTER)
    old_address = address_of(producer_org, BEFORE)
    assert (today_address.line, today_address.former) == (
        "Số 5 Đồng Khởi, Phường Phú Khương, tỉnh Vĩnh Long",
        "Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre",
    )
    assert (old_address.line, old_address.former) == (
        "Số 5 Đồng Khởi, Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre",
        "",
    )


def _certificate(producer_org, day, issuer_unit):
    return issue_certificate(
        ProductFactory(producer=producer_org, name="Kẹo dừa"),
        actor=SYSTEM,
        star=4,
        decision_number="1/QĐ-UBND",
        decision_date=day,
        issuer_name="",
        issuer_unit=issuer_unit,
    )


def test_certificate_after_the_merger_is_vinh_longs(producer_org, ben_tre):
    certificate = _certificate(producer_org, AFTER, ben_tre)
    info = pdf_info(certificate_pdf(certificate))
    assert (certificate.issuer_name, certificate.number[:3], info["Author"], info["Subject"]) == (
        "UBND tỉnh Vĩnh Long",
        "86-",
        "UBND tỉnh Vĩnh Long",
        f"{producer_org.address}, Phường Phú Khương, tỉnh Vĩnh Long".lstrip(", "),
    )


def test_certificate_before_the_merger_keeps_ben_tre(producer_org, ben_tre):
    certificate = _certificate(producer_org, BEFORE, ben_tre)
    info = pdf_info(certificate_pdf(certificate))
    assert (certificate.issuer_name, certificate.number[:3], info["Author"], info["Subject"]) == (
        "UBND tỉnh Bến Tre",
        "83-",
        "UBND tỉnh Bến Tre",
        f"{producer_org.address}, Phường Phú Khương, TP. Bến Tre, tỉnh Bến Tre".lstrip(", "),
    )
