"""The product set printed on the certificate PDF and the verify page is the set of the rubric the product
was evaluated under (QĐ 26/2026 Annex I; a product evaluated under QĐ 1048/2019 keeps its 1048 set), not
the product's set on today's list; the recognition decision cites the decision whose criteria were used."""

import datetime

import pytest
from django.core.cache import cache

from ocop.certificates import pdf as certificate_pdf_module
from ocop.certificates.queries import product_set_name
from ocop.core.dates import today
from ocop.evaluation import domain
from ocop.evaluation import pdf as evaluation_pdf
from ocop.evaluation.models import Dossier
from ocop.stamps.verification import certificate_facts
from tests.factories import CertificateFactory, ProductFactory

from .conftest import answers_totalling

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _rendered(monkeypatch, module):
    """Capture the HTML a PDF is made of (the context is rendered, the PDF step is skipped)."""
    from django.template.loader import render_to_string

    seen = {}

    def fake(template, context):
        seen["html"] = render_to_string(template, context)
        return b"%PDF-"

    monkeypatch.setattr(module, "render_pdf", fake)
    return seen


def _certified(dossier, members, province_officer, vinh_long_officer, total=80):
    for member in members:
        domain.save_scoresheet(
            dossier, actor=member, answers=answers_totalling(dossier.rubric.tree, total), submit=True
        )
    domain.close_scoring(dossier, actor=province_officer)
    decision = domain.create_decision(
        dossier.round,
        actor=vinh_long_officer,
        number="77/QĐ-UBND",
        date=today(),
        signer="Nguyễn Văn A",
        signer_title="Phó Chủ tịch",
        issuer_name="UBND tỉnh Vĩnh Long",
        dossiers=[dossier],
    )
    domain.record_decision(decision, actor=vinh_long_officer)
    return Dossier.objects.select_related("certificate", "rubric", "decision").get(pk=dossier.pk)


def test_certificate_prints_the_set_of_the_rubric_it_was_evaluated_under(
    monkeypatch, in_scoring, members, province_officer, vinh_long_officer
):
    dossier = _certified(in_scoring, members, province_officer, vinh_long_officer)
    certificate = dossier.certificate
    name = dossier.rubric.set_name
    assert name and dossier.rubric.criteria_set.code == "QD26-2026"
    # the product moves to another set afterwards: the certificate keeps the set it was evaluated under
    product = certificate.product
    product.product_set = 2 if product.product_set != 2 else 3
    product.save(update_fields=["product_set"])
    assert product.product_set_vi != name
    seen = _rendered(monkeypatch, certificate_pdf_module)
    certificate_pdf_module.certificate_pdf(certificate)
    assert f"<td>Bộ sản phẩm</td><td>{name}</td>" in seen["html"]
    assert product.product_set_vi not in seen["html"]
    assert certificate_facts(certificate.number)["product_set_name"] == name


def test_decision_cites_the_decision_of_the_round_s_criteria(
    monkeypatch, in_scoring, members, province_officer, vinh_long_officer
):
    dossier = _certified(in_scoring, members, province_officer, vinh_long_officer)
    seen = _rendered(monkeypatch, evaluation_pdf)
    evaluation_pdf.decision_pdf(dossier.decision)
    assert "Căn cứ Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026" in seen["html"]
    assert "148/QĐ-TTg" not in seen["html"]


def test_a_qd1048_certificate_keeps_its_1048_set_and_never_borrows_today_s_name(db):
    product = ProductFactory(product_set=1)
    certificate = CertificateFactory(product=product, criteria_set="QD1048-2019-R2")
    name = product_set_name(certificate)
    # QĐ 1048's own list of names is not in our sources: the number under that decision, not today's name
    assert name.startswith("Bộ sản phẩm số 1 theo QĐ 1048/QĐ-TTg")
    assert product.product_set_vi not in name
    other = CertificateFactory(product=ProductFactory(product_set=5), criteria_set="QD1048-2019")
    assert product_set_name(other).startswith("Bộ sản phẩm số 5 theo QĐ 1048/QĐ-TTg")


def test_a_certificate_without_criteria_set_uses_the_product_s_set(db):
    product = ProductFactory(product_set=7)
    certificate = CertificateFactory(product=product, criteria_set="")
    assert product_set_name(certificate) == product.product_set_vi
    qd26 = CertificateFactory(product=ProductFactory(product_set=11), criteria_set="QD26-2026")
    assert product_set_name(qd26) == "Chè tươi, chè chế biến"


def test_verify_page_shows_the_evaluated_set(client, db):
    product = ProductFactory(product_set=1, name="Bưởi da xanh Chợ Lách")
    certificate = CertificateFactory(
        product=product,
        criteria_set="QD1048-2019-R2",
        issued_on=today(),
        expires_on=today() + datetime.timedelta(days=1000),
    )
    response = client.get(f"/v/{certificate.number}")
    assert response.status_code == 200
    assert "Bộ sản phẩm số 1 theo QĐ 1048/QĐ-TTg" in response.text
