"""Pages of the QĐ 26/2026 procedure: Annex III forms, disqualification, the commune clock, 5★ revocation."""

import datetime

import pytest

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.evaluation import domain
from ocop.evaluation.models import Dossier
from tests.factories import CertificateFactory, ProductFactory

from .conftest import complete_dossier, forward

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def forwarded(draft, producer, commune_officer):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    return forward(draft, commune_officer)


@pytest.mark.parametrize("number", ["01", "02", "03"])
def test_forms_download_as_pdf_for_the_producer_and_the_office(
    client_for, producer, vinh_long_officer, forwarded, number
):
    for user in (producer, vinh_long_officer):
        response = client_for(user).get(f"/office/evaluation/dossiers/{forwarded.pk}/forms/mau-{number}.pdf")
        assert (response.status_code, response["Content-Type"], response.content[:5]) == (
            200,
            "application/pdf",
            b"%PDF-",
        )
        assert f"mau-{number}-" in response["Content-Disposition"]


def test_forms_outside_the_scope_404(client_for, other_province_officer, other_producer, forwarded):
    for user in (other_province_officer, other_producer):
        response = client_for(user).get(f"/office/evaluation/dossiers/{forwarded.pk}/forms/mau-01.pdf")
        assert response.status_code == 404


def test_form_03_before_the_commune_report_404(client_for, producer, draft):
    assert (
        client_for(producer).get(f"/office/evaluation/dossiers/{draft.pk}/forms/mau-03.pdf").status_code
        == 404
    )
    assert (
        client_for(producer).get(f"/office/evaluation/dossiers/{draft.pk}/forms/mau-09.pdf").status_code
        == 404
    )


def test_form_03_holds_the_commune_assessment(client_for, producer, forwarded):
    from ocop.evaluation.forms_pdf import _context

    context = _context(Dossier.objects.get(pk=forwarded.pk))
    assert context["cf"]["local_identity"] == "Kẹo dừa nấu theo cách truyền thống của làng nghề"
    assert (context["kind_new"], context["kind_upgrade"], context["kind_reevaluation"]) == (
        True,
        False,
        False,
    )


def test_dossier_page_shows_clock_code_and_form_links(client_for, producer, forwarded):
    response = client_for(producer).get(f"/office/evaluation/dossiers/{forwarded.pk}/")
    html = response.content.decode()
    forwarded.refresh_from_db()
    assert (response.status_code, response.context["clock"].done) == (200, True)
    assert forwarded.product.code in html and 'id="form-03"' in html


def test_disqualify_by_the_producer_403_other_province_404(
    client_for, producer, other_province_officer, forwarded
):
    url = f"/office/evaluation/dossiers/{forwarded.pk}/disqualify/"
    assert client_for(producer).post(url, {"reason": "x"}).status_code == 403
    assert client_for(other_province_officer).post(url, {"reason": "x"}).status_code == 404
    assert Dossier.objects.get(pk=forwarded.pk).state == "forwarded"


def test_disqualify_without_reason_shows_a_message(client_for, vinh_long_officer, forwarded):
    response = client_for(vinh_long_officer).post(
        f"/office/evaluation/dossiers/{forwarded.pk}/disqualify/", {"reason": " "}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Give the reason for disqualifying the dossier."
    ] or [str(m) for m in response.context["messages"]] == ["Nêu lý do loại hồ sơ."]
    assert Dossier.objects.get(pk=forwarded.pk).state == "forwarded"


def test_disqualified_dossier_shows_the_reason_to_the_producer(
    client_for, vinh_long_officer, producer, forwarded
):
    client_for(vinh_long_officer).post(
        f"/office/evaluation/dossiers/{forwarded.pk}/disqualify/",
        {"criterion": "", "reason": "Giả mạo hồ sơ"},
    )
    response = client_for(producer).get(f"/office/evaluation/dossiers/{forwarded.pk}/")
    assert (Dossier.objects.get(pk=forwarded.pk).state, "Giả mạo hồ sơ" in response.content.decode()) == (
        "disqualified",
        True,
    )


# --- Revocation authority (Art. 8.2) -------------------------------------------------------------------


@pytest.fixture
def five_star(producer_org):
    return CertificateFactory(
        product=ProductFactory(producer=producer_org),
        star=5,
        issued_on=today() - datetime.timedelta(days=300),
        decision_date=today() - datetime.timedelta(days=300),
        expires_on=today() + datetime.timedelta(days=700),
    )


def _revoke(client, certificate):
    return client.post(
        f"/office/certificates/{certificate.pk}/revoke",
        {
            "revoke-ground": "law_violation",
            "revoke-decision_number": "5/QĐ-BNNMT",
            "revoke-revoked_on": today().isoformat(),
            "revoke-concluded_on": today().isoformat(),
            "revoke-note": "",
            "revoke-confirm": "on",
        },
    )


def test_province_officer_cannot_revoke_a_5_star_certificate(client_for, vinh_long_officer, five_star):
    response = _revoke(client_for(vinh_long_officer), five_star)
    assert response.status_code == 403
    assert "Minister" in response.content.decode() or "Bộ trưởng" in response.content.decode()
    five_star.refresh_from_db()
    assert five_star.revoked_on is None


def test_ministry_officer_revokes_a_5_star_certificate(client_for, ministry_officer, five_star):
    response = _revoke(client_for(ministry_officer), five_star)
    five_star.refresh_from_db()
    assert (response.status_code, five_star.revoked_on, five_star.revocation_authority) == (
        302,
        today(),
        "Bộ trưởng Bộ Nông nghiệp và Môi trường",
    )


def test_ministry_officer_cannot_revoke_a_4_star_certificate(
    client_for, ministry_officer, vinh_long_officer, producer_org
):
    four = CertificateFactory(
        product=ProductFactory(producer=producer_org),
        star=4,
        issued_on=today() - datetime.timedelta(days=300),
        expires_on=today() + datetime.timedelta(days=700),
    )
    assert _revoke(client_for(ministry_officer), four).status_code == 403
    assert _revoke(client_for(vinh_long_officer), four).status_code == 302
    assert Certificate.objects.get(pk=four.pk).revocation_authority == "Chủ tịch UBND cấp tỉnh"


# --- Expiry notice letter (Art. 7.6a) -------------------------------------------------------------------


def test_expiry_notice_letter_pdf_names_the_filing_window(
    client_for, vinh_long_officer, other_province_officer, producer_org
):
    from ocop.certificates.domain import due_notice_rows
    from ocop.certificates.models import ExpiryNotice
    from ocop.certificates.notices import expiry_notice_letter_pdf

    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=datetime.date(2024, 3, 1),
        expires_on=datetime.date(2027, 3, 1),
    )
    due_notice_rows(datetime.date(2026, 8, 1))  # 212 days before the end: nothing; 210 from 2/8
    due_notice_rows(datetime.date(2026, 8, 3))
    notice = ExpiryNotice.objects.get(certificate=cert)
    assert notice.days_before == 210
    response = client_for(vinh_long_officer).get(f"/office/certificates/notices/{notice.pk}/letter.pdf")
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    assert (
        client_for(other_province_officer)
        .get(f"/office/certificates/notices/{notice.pk}/letter.pdf")
        .status_code
        == 404
    )
    assert expiry_notice_letter_pdf(notice)[:5] == b"%PDF-"


def test_expiry_notice_letter_is_headed_by_the_current_authority_of_the_products_province(producer_org):
    """A certificate UBND tỉnh Bến Tre issued before the merger: the notice of 2026 is the office of
    UBND tỉnh Vĩnh Long's (the authority in force for the product's province), addressed on the map in
    force, naming the certificate's own issuer only as the issuer of its decision."""
    from ocop.certificates.domain import due_notice_rows
    from ocop.certificates.models import ExpiryNotice
    from ocop.certificates.notices import expiry_notice_letter_pdf
    from tests.pdfinfo import pdf_info

    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=datetime.date(2024, 3, 1),
        expires_on=datetime.date(2027, 3, 1),
    )
    due_notice_rows(datetime.date(2026, 8, 3))
    notice = ExpiryNotice.objects.get(certificate=cert)
    info = pdf_info(expiry_notice_letter_pdf(notice))
    assert (cert.issuer_name, info["Author"]) == ("UBND tỉnh Bến Tre", "UBND tỉnh Vĩnh Long")
    assert info["Subject"].endswith("tỉnh Vĩnh Long")
