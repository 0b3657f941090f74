"""Issue #14, done-when: the current Vĩnh Long officer finishes, in the browser, a round the former
Bến Tre office opened, and issues a decision whose PDF names UBND tỉnh Vĩnh Long and the producer's
current address; the former Bến Tre officer reads the round but is offered no decision form."""

import pytest

from ocop.accounts.enums import Role
from ocop.evaluation import domain
from ocop.evaluation.models import Decision, Dossier
from tests.evaluation.conftest import answers, council_of, open_round, to_scoring
from tests.pdfinfo import pdf_info

from ..factories import ProductFactory, UserFactory, unit, with_role
from .conftest import switch as switch_to

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")]


def switch(page, username):
    return switch_to(page, username, landing="**/office/**")


@pytest.fixture
def bentre_round_in_scoring(
    producer, commune_officer, province_officer, vinh_long_officer, council_member, ben_tre
):
    """A round of the former Bến Tre office, one dossier scored by every member, scoring still open."""
    members = council_of(ben_tre, council_member)
    round_ = open_round(
        ben_tre,
        "Đợt 1 năm 2025 – tỉnh Bến Tre",
        days=(20, 25, 26),
        note="Đợt do VPĐP tỉnh Bến Tre mở trước khi hợp nhất",
        members=members,
    )
    product = ProductFactory(producer=producer.producer, name="Kẹo dừa sáp Phú Khương")
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")
    to_scoring(dossier, producer, commune_officer, vinh_long_officer)
    for member in members:
        domain.save_scoresheet(dossier, actor=member, answers=answers(dossier.rubric.tree, -2), submit=True)
    return round_


def test_vinh_long_officer_finishes_a_round_opened_by_ben_tre(page, bentre_round_in_scoring, admin_units):
    round_ = bentre_round_in_scoring
    with_role(UserFactory(username="vinh_long_officer"), Role.PROVINCE_OFFICER, unit=unit("86", "current"))
    round_url = page.base_url + f"/office/evaluation/rounds/{round_.pk}/"

    # The former Bến Tre officer reads the round but may not prepare a decision.
    switch(page, "province")
    page.goto(round_url)
    assert round_.name in page.locator("h1").inner_text()
    assert page.locator("form[action$='/decisions/']").count() == 0  # a POST answers 403 (test_succession)

    # The current Vĩnh Long officer closes scoring, prepares and records the decision.
    switch(page, "vinh_long_officer")
    page.goto(round_url)
    assert "Tỉnh Vĩnh Long" in page.locator("main").inner_text()  # the round names who carries it on
    page.check("form[action$='/close-scoring/'] input[name=confirm]")
    page.click("form[action$='/close-scoring/'] button")
    page.goto(round_url)
    assert page.locator("#dc-i").input_value() == "UBND tỉnh Vĩnh Long"
    page.fill("#dc-n", "2210/QĐ-UBND")
    page.fill("#dc-s", "Nguyễn Thành Diệu")
    page.fill("#dc-t", "Phó Chủ tịch UBND tỉnh")
    page.click("form[action$='decisions/'] button")
    page.check("form[action$='record/'] input[name=confirm]")
    page.click("form[action$='record/'] button")
    decision = Decision.objects.get()
    with page.expect_download() as download:
        page.goto(page.base_url + f"/office/evaluation/decisions/{decision.pk}/")
        page.click(f"a[href$='/decisions/{decision.pk}/pdf/']")
    with open(download.value.path(), "rb") as handle:
        info = pdf_info(handle.read())

    dossier = Dossier.objects.select_related("certificate", "producer").get()
    street = f"{dossier.producer.address}, " if dossier.producer.address else ""
    assert (
        decision.status,
        dossier.state,
        dossier.certificate.issuer_name,
        dossier.certificate.number[:3],
    ) == (
        "recorded",
        "recognised",
        "UBND tỉnh Vĩnh Long",
        "86-",
    )
    assert (info["Author"], info["Subject"]) == (
        "UBND tỉnh Vĩnh Long",
        f"Vĩnh Long; {street}Phường Phú Khương, tỉnh Vĩnh Long",
    )
