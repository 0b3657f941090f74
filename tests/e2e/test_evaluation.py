"""One dossier through the whole evaluation in the browser: producer draft → commune return → resubmit →
forward → appraisal → three council members (one recused) → close → decision → certificate PDF."""

import datetime

import pytest

from ocop.accounts.enums import Role
from ocop.criteria.models import CriteriaSet
from ocop.evaluation import domain
from ocop.evaluation.models import Dossier

from ..factories import PASSWORD, ProductFactory, UserFactory, with_role
from .conftest import login

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def switch(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_url("**/office/")


def choose_all(page, form_selector, pick="last"):
    page.eval_on_selector_all(
        f"{form_selector} select[name^='c:']",
        "(els, pick) => els.forEach(s => { s.selectedIndex = pick === 'last' ? s.options.length - 1 : s.options.length - 2; })",
        pick,
    )


def test_dossier_walks_from_draft_to_certificate(
    page, producer, commune_officer, province_officer, council_member, ben_tre
):
    criteria_set = CriteriaSet.objects.get(code="QD26-2026")
    today = datetime.date.today()
    round_ = domain.create_round(
        actor=None,
        province=ben_tre,
        name="Đợt 1 năm 2023",
        year=today.year,
        criteria_set=criteria_set,
        submission_deadline=today + datetime.timedelta(days=20),
        review_deadline=today + datetime.timedelta(days=30),
        council_date=today + datetime.timedelta(days=40),
    )
    others = [
        with_role(UserFactory(username=f"council{i}"), Role.COUNCIL_MEMBER, unit=ben_tre) for i in (2, 3)
    ]
    for user in (council_member, *others):
        domain.add_member(round_, user, actor=None)
    ProductFactory(producer=producer.producer, name="Kẹo dừa sáp Bến Tre")
    base = page.base_url

    # Producer: draft, registration, self-assessment, evidence, submit.
    switch(page, "producer")
    page.goto(base + "/office/evaluation/dossiers/new/")
    page.click("button.btn")
    page.wait_for_selector("#dossier-state")
    dossier_url = page.url
    page.fill("#reg-capacity", "20 tấn/năm")
    page.fill("#reg-raw", "Dừa sáp Cầu Kè, Bến Tre")
    page.fill("#reg-market", "Cả nước, xuất khẩu")
    page.click("#save-registration")
    choose_all(page, "form[action$='self-assessment/']")
    page.click("#save-self")
    for kind in ("business_registration", "quality_declaration", "photo"):
        page.select_option("#ev-kind", kind)
        page.set_input_files(
            "#ev-file", {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.click("#upload-evidence")
    assert page.locator("#missing").count() == 0
    page.click("#submit-dossier")
    assert page.locator("#dossier-state").inner_text() == "Đã nộp"

    # Commune: return with reasons; producer resubmits; commune forwards.
    switch(page, "commune")
    page.goto(dossier_url)
    page.fill("#return-reasons", "Bổ sung phiếu kiểm nghiệm")
    page.click("#return-dossier")
    switch(page, "producer")
    page.goto(dossier_url)
    assert "Bổ sung phiếu kiểm nghiệm" in page.content()
    page.click("#submit-dossier")
    switch(page, "commune")
    page.goto(dossier_url)
    choose_all(page, "form[action$='forward/']")
    page.fill("#forward-report", "Đạt các tiêu chí địa phương")
    page.click("#forward-dossier")
    assert page.locator("#dossier-state").inner_text() == "Đã chuyển lên tỉnh"

    # Province: samples, appraisal, open scoring.
    switch(page, "province")
    page.goto(dossier_url)
    page.fill("#samples-count", "5")
    page.click("#record-samples")
    page.fill("#appraisal-note", "Hồ sơ đầy đủ, mẫu đạt yêu cầu")
    page.click("#appraise-dossier")
    page.click("#open-scoring")
    assert page.locator("#dossier-state").inner_text() == "Hội đồng đang chấm"

    # Council: one member recuses, two score.
    switch(page, "council3")
    page.goto(dossier_url)
    page.fill("#conflict-reason", "Người thân của chủ thể")
    page.click("#declare-conflict")
    # Under QD26-2026 the second-best options fall below the star markers; both members choose the best.
    for username, pick in (("council", "last"), ("council2", "last")):
        switch(page, username)
        page.goto(dossier_url + "score/")
        choose_all(page, "#scoresheet", pick)
        page.click("#submit-sheet")
        assert page.locator("#sheet-total").count() == 1

    # Province: close, decide, record; the certificate PDF downloads.
    switch(page, "province")
    page.goto(dossier_url)
    page.click("#close-scoring")
    assert page.locator("#result-total").inner_text() in ("100,00", "100.00")
    page.goto(base + f"/office/evaluation/rounds/{round_.pk}/")
    page.fill("#dc-n", "125/QĐ-UBND")
    page.fill("#dc-s", "Nguyễn Văn Đức")
    page.fill("#dc-t", "Phó Chủ tịch")
    page.click("form[action$='decisions/'] button")
    page.click("form[action$='record/'] button")
    page.goto(dossier_url)
    with page.expect_download() as download:
        page.click("#certificate-pdf")
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    dossier = Dossier.objects.select_related("certificate").get()
    assert (
        dossier.state,
        dossier.certificate.star,
        dossier.certificate.potential_5_star,
        dossier.sheets_count,
    ) == ("nominated_5star", 4, True, 2)
