"""QĐ 26/2026 procedure in the browser: the province sends a dossier back for completion (Art. 7.3a) and
the producer completes and resends it; the office changes a round's dates with a reason (Art. 5.1) and sees
the history. Screenshots go to docs/screenshots/."""

import datetime
from pathlib import Path

import pytest

from ocop.evaluation import domain
from ocop.evaluation.models import Dossier, Round

from ..evaluation.conftest import complete_dossier, forward, open_round
from ..factories import ProductFactory
from .conftest import switch

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _round(ben_tre):
    return open_round(ben_tre, "Đợt 2 năm 2026", note="Đợt bổ sung theo Quy chế hoạt động của Hội đồng")


def test_province_sends_a_dossier_back_for_completion_and_the_producer_resends_it(
    page, producer, commune_officer, vinh_long_officer, ben_tre
):
    round_ = _round(ben_tre)
    product = ProductFactory(producer=producer.producer, name="Kẹo dừa sáp Bến Tre")
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    base = page.base_url

    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
    page.goto(f"{base}/office/evaluation/dossiers/{dossier.pk}/")
    page.fill("#completion-reasons-input", "Bổ sung phiếu kiểm nghiệm định kỳ còn hiệu lực")
    page.click("#request-completion")
    page.wait_for_selector("#completion-reasons")
    assert page.inner_text("#dossier-state") == "Tỉnh đề nghị hoàn thiện hồ sơ"

    switch(page, "producer")
    page.goto(f"{base}/office/evaluation/dossiers/{dossier.pk}/")
    assert "Bổ sung phiếu kiểm nghiệm định kỳ còn hiệu lực" in page.inner_text("#completion-reasons")
    page.check("input[name=p7_ip_trademark]")
    page.fill("#reg-revenue", "2,5 tỷ đồng/năm")
    page.click("#save-registration")
    page.wait_for_selector("#completion-reasons")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "qd26-completion-producer-vi.png"), full_page=False)
    page.click("#submit-dossier")
    page.wait_for_selector("#dossier-state")
    assert page.inner_text("#dossier-state") == "Đã chuyển lên tỉnh"
    saved = Dossier.objects.get(pk=dossier.pk)
    assert (saved.state, saved.registration["revenue"], saved.registration["p7_ip_trademark"]) == (
        "forwarded",
        "2,5 tỷ đồng/năm",
        "x",
    )


def test_office_changes_the_round_dates_with_a_reason_and_sees_the_history(page, vinh_long_officer, ben_tre):
    round_ = _round(ben_tre)
    base = page.base_url
    switch(page, "vinhlong")  # the acting office (Bến Tre's successor)
    page.goto(f"{base}/office/evaluation/rounds/{round_.pk}/")
    assert page.is_visible("#legal-dates")
    page.click("#change-dates")
    later = round_.council_date + datetime.timedelta(days=3)
    page.fill("#r-council", later.strftime("%d/%m/%Y"))
    page.click("form.card button.btn")  # without a reason: refused, nothing saved
    page.wait_for_selector(".msg-error, .messages")
    assert Round.objects.get(pk=round_.pk).council_date == round_.council_date
    page.fill("#r-council", later.strftime("%d/%m/%Y"))
    page.fill("#r-reason", "Chủ tịch Hội đồng đi công tác")
    page.click("form.card button.btn")
    page.wait_for_url(f"**/office/evaluation/rounds/{round_.pk}/**")
    assert "Chủ tịch Hội đồng đi công tác" in page.inner_text("#schedule-history")
    page.locator("#calendar").screenshot(path=str(SHOTS / "qd26-round-calendar-vi.png"))
    assert Round.objects.get(pk=round_.pk).council_date == later
