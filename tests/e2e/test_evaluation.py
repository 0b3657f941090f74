"""Dossiers of a 2026 round under QĐ 26/2026 in the browser: registration → commune return → resubmit →
commune report (Mẫu 03) → appraisal → three council members (one recused) → close → decision → 4★
certificate; ≥ 90 points → approval and nomination to the Ministry without a provincial certificate; a
knock-out shown to the producer."""

import pytest

from ocop.core.dates import today
from ocop.evaluation import domain
from ocop.evaluation.models import Dossier

from ..evaluation.conftest import (
    COMMUNE_FORM,
    answers_totalling,
    complete_dossier,
    council_of,
    forward,
    open_round,
)
from ..factories import ProductFactory
from .conftest import switch

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def choose_all(page, form_selector, pick="last"):
    page.eval_on_selector_all(
        f"{form_selector} select[name^='c:']",
        "(els, pick) => els.forEach(s => { s.selectedIndex = pick === 'last' ? s.options.length - 1 : s.options.length - 2; })",
        pick,
    )


def set_answers(page, form_selector, chosen):
    """Select the given option of every criterion (a scoresheet worth a known total)."""
    page.eval_on_selector_all(
        f"{form_selector} select[name^='c:']",
        "(els, chosen) => els.forEach(s => { s.value = chosen[s.name.slice(2)]; })",
        chosen,
    )


def _round(ben_tre, council_member):
    members = council_of(ben_tre, council_member)
    note = "Đợt bổ sung theo Quy chế hoạt động của Hội đồng"
    return open_round(ben_tre, "Đợt 1 năm 2023", note=note, members=members), members


def test_dossier_walks_from_registration_to_a_4_star_certificate(
    page, producer, commune_officer, vinh_long_officer, council_member, ben_tre
):
    round_, _members = _round(ben_tre, council_member)
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
    page.fill("#reg-plan", "Mở rộng vùng nguyên liệu dừa sáp, xuất khẩu sang Nhật Bản")
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
    assert "Còn 15 ngày làm việc" in page.locator("#commune-clock").inner_text()
    choose_all(page, "form[action$='forward/']")
    for key, text in COMMUNE_FORM.items():
        page.fill(f"#fw-form-{key}", text)
    page.fill("#forward-report", "Đề nghị UBND tỉnh đánh giá, phân hạng sản phẩm")
    page.click("#forward-dossier")
    assert page.locator("#dossier-state").inner_text() == "Đã chuyển lên tỉnh"
    dossier = Dossier.objects.select_related("product").get()
    assert page.locator("#product-code").inner_text() == dossier.product.code != ""

    # Province: samples, appraisal, open scoring.
    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
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
    chosen = answers_totalling(dossier.rubric.tree, 80)
    for username in ("council", "council2"):
        switch(page, username)
        page.goto(dossier_url + "score/")
        set_answers(page, "#scoresheet", chosen)
        page.check("#confirm-submit")
        page.click("#submit-sheet")
        assert page.locator("#sheet-total").count() == 1

    # Province: close; Vĩnh Long (Bến Tre's successor since 1/7/2025) decides; the certificate downloads.
    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
    page.goto(dossier_url)
    page.check("#confirm-close")
    page.click("#close-scoring")
    assert page.locator("#result-total").inner_text() in ("80,00", "80.00")
    switch(page, "vinhlong")
    page.goto(base + f"/office/evaluation/rounds/{round_.pk}/")
    page.fill("#dc-n", "125/QĐ-UBND")
    page.fill("#dc-s", "Nguyễn Văn Đức")
    page.fill("#dc-t", "Phó Chủ tịch")
    page.click("form[action$='decisions/'] button")
    page.check("form[action$='record/'] input[name=confirm]")
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
        dossier.outcome,
    ) == ("recognised", 4, False, 2, "certified")
    with page.expect_download() as form03:
        page.click("#form-03")
    with open(form03.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def _scored(round_, members, product, producer, commune_officer, vinh_long_officer, total):
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    domain.record_samples(dossier, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(dossier, actor=vinh_long_officer, note="Đủ điều kiện", comments={})
    domain.open_scoring(dossier, actor=vinh_long_officer)
    for member in members:
        domain.save_scoresheet(
            dossier, actor=member, answers=answers_totalling(dossier.rubric.tree, total), submit=True
        )
    return dossier


def test_ninety_points_go_to_the_ministry_without_a_provincial_certificate(
    page, producer, commune_officer, vinh_long_officer, council_member, ben_tre
):
    round_, members = _round(ben_tre, council_member)
    product = ProductFactory(producer=producer.producer, name="Bánh phồng Sơn Đốc")
    dossier = _scored(round_, members, product, producer, commune_officer, vinh_long_officer, 95)
    base = page.base_url
    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
    page.goto(base + f"/office/evaluation/dossiers/{dossier.pk}/")
    page.check("#confirm-close")
    page.click("#close-scoring")
    assert page.locator("#result-total").inner_text() in ("95,00", "95.00")
    switch(page, "vinhlong")
    page.goto(base + f"/office/evaluation/rounds/{round_.pk}/")
    page.fill("#dc-n", "130/QĐ-UBND")
    page.fill("#dc-s", "Nguyễn Văn Đức")
    page.click("form[action$='decisions/'] button")
    page.check("form[action$='record/'] input[name=confirm]")
    page.click("form[action$='record/'] button")
    page.goto(base + f"/office/evaluation/dossiers/{dossier.pk}/")
    assert page.locator("#dossier-state").inner_text() == "Đã gửi Bộ (5 sao)"
    assert page.locator("#certificate-pdf").count() == 0
    dossier.refresh_from_db()
    assert (dossier.state, dossier.certificate_id, dossier.approval_decision.number) == (
        "nominated_5star",
        None,
        "130/QĐ-UBND",
    )


def test_knocked_out_dossier_shows_its_reason_to_the_producer(
    page, producer, commune_officer, vinh_long_officer, council_member, ben_tre
):
    """The council path: two of three members tick the set's "Hồ sơ bị loại khi" line on their scoresheet
    (leaving the criteria after it unanswered), the third scores in full; closing removes the dossier."""
    round_, members = _round(ben_tre, council_member)
    product = ProductFactory(producer=producer.producer, name="Mắm tép Ba Tri")
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    domain.record_samples(dossier, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(dossier, actor=vinh_long_officer, note="Đủ điều kiện", comments={})
    domain.open_scoring(dossier, actor=vinh_long_officer)
    base = page.base_url
    dossier_url = base + f"/office/evaluation/dossiers/{dossier.pk}/"
    for username in ("council", "council2"):
        switch(page, username)
        page.goto(dossier_url + "score/")
        assert "Hồ sơ bị loại khi" in page.locator("#sheet-knockouts").inner_text()
        page.check("#ko-1")
        page.check("#confirm-submit")
        page.click("#submit-sheet")
        assert page.locator("#ko-1").is_checked() and page.locator("#ko-1").is_disabled()
    domain.save_scoresheet(
        dossier, actor=members[2], answers=answers_totalling(dossier.rubric.tree, 80), submit=True
    )
    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
    page.goto(dossier_url)
    page.check("#confirm-close")
    page.click("#close-scoring")
    assert page.locator("#dossier-state").inner_text() == "Hồ sơ bị loại"
    switch(page, "producer")
    page.goto(dossier_url)
    assert "Giả mạo hồ sơ" in page.locator("#knockouts").inner_text()
    assert page.locator("#dossier-outcome").inner_text() == "Hồ sơ bị loại (tiêu chí loại)"
    dossier.refresh_from_db()
    assert [k["members"] for k in dossier.knockouts] == [2]
