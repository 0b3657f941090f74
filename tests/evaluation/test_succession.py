"""After 1/7/2025: the successor province (Vĩnh Long 86) finishes what a predecessor (Bến Tre 83)
started; a legacy officer reads the history but neither opens rounds nor signs; another province
gets 404."""

import datetime
from decimal import Decimal

import pytest

from ocop.accounts.enums import Role
from ocop.core.activity import ActivityLog
from ocop.core.errors import NotAllowed
from ocop.evaluation import domain
from ocop.evaluation.models import Decision, Dossier, Round
from ocop.evaluation.queries import rounds_for
from tests.factories import UserFactory, unit, with_role

from .conftest import answers_totalling

pytestmark = pytest.mark.integration


@pytest.fixture
def scored(in_scoring, members, vinh_long_officer):
    tree = in_scoring.rubric.tree
    for member in members:
        domain.save_scoresheet(in_scoring, actor=member, answers=answers_totalling(tree, 80), submit=True)
    return domain.close_scoring(in_scoring, actor=vinh_long_officer)


def test_successor_officer_sees_predecessor_round(round_, vinh_long_officer, province_officer):
    assert (list(rounds_for(vinh_long_officer)), list(rounds_for(province_officer))) == ([round_], [round_])


def test_current_officer_of_another_province_gets_404(client_for, round_, admin_units):
    dong_thap = with_role(UserFactory(username="dongthap"), Role.PROVINCE_OFFICER, unit=unit("82", "current"))
    response = client_for(dong_thap).get(f"/office/evaluation/rounds/{round_.pk}/")
    assert (response.status_code, list(rounds_for(dong_thap))) == (404, [])


def test_successor_officer_opens_predecessor_round_page(client_for, round_, vinh_long_officer):
    response = client_for(vinh_long_officer).get(f"/office/evaluation/rounds/{round_.pk}/")
    assert (response.status_code, response.context["can_manage"], response.context["authority"].name) == (
        200,
        True,
        "UBND tỉnh Vĩnh Long",
    )


def test_legacy_officer_cannot_open_a_round(round_, province_officer, ben_tre):
    with pytest.raises(NotAllowed) as caught:
        domain.create_round(
            actor=province_officer,
            province=ben_tre,
            name="Đợt 2/2026",
            year=2026,
            criteria_set=round_.criteria_set,
            submission_deadline=datetime.date(2026, 12, 20),
            review_deadline=datetime.date(2026, 12, 25),
            council_date=datetime.date(2026, 12, 30),
        )
    assert (caught.value.status, caught.value.code, Round.objects.count()) == (403, "legacy_unit", 1)


def test_legacy_officer_round_create_page_403_with_message(client_for, round_, province_officer):
    response = client_for(province_officer).post("/office/evaluation/rounds/new/", {"name": "x"})
    assert (response.status_code, str(domain.LEGACY_READ_ONLY) in response.content.decode()) == (403, True)


def _decide(dossier, actor):
    """The council decision on one scored dossier, signed 1/12/2026 (the issuer named from the map)."""
    return domain.create_decision(
        dossier.round,
        actor=actor,
        number="9/QĐ-UBND",
        date=datetime.date(2026, 12, 1),
        signer="Nguyễn Văn A",
        signer_title="Phó Chủ tịch",
        issuer_name="",
        dossiers=[dossier],
    )


def test_legacy_officer_cannot_sign_but_successor_can(scored, province_officer, vinh_long_officer):
    with pytest.raises(NotAllowed) as caught:
        _decide(scored, province_officer)
    assert (caught.value.code, Decision.objects.count()) == ("legacy_unit", 0)

    decision = _decide(scored, vinh_long_officer)
    domain.record_decision(decision, actor=vinh_long_officer)
    dossier = Dossier.objects.select_related("certificate__issuer_unit").get(pk=scored.pk)
    certificate = dossier.certificate
    assert (
        dossier.state,
        decision.issuer_name,
        certificate.issuer_name,
        (certificate.issuer_unit.map, certificate.issuer_unit.code),
        certificate.number.split("-")[0],
        certificate.score,
    ) == (
        "recognised",
        "UBND tỉnh Vĩnh Long",
        "UBND tỉnh Vĩnh Long",
        ("current", "86"),
        "86",
        Decimal("80.00"),
    )
    assert list(
        ActivityLog.objects.filter(action="evaluation.decision.recorded").values_list(
            "actor__username", flat=True
        )
    ) == ["vinhlong"]


def test_legacy_officer_decision_page_post_403(client_for, scored, province_officer):
    response = client_for(province_officer).post(
        f"/office/evaluation/rounds/{scored.round_id}/decisions/",
        {"number": "9/QĐ", "date": "01/12/2026", "signer": "A", "dossiers": [scored.pk]},
    )
    assert (response.status_code, str(domain.LEGACY_READ_ONLY) in response.content.decode()) == (403, True)
    assert Decision.objects.count() == 0


@pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")
def test_decision_pdf_names_the_successor_and_the_current_address(scored, vinh_long_officer):
    from ocop.evaluation.pdf import decision_pdf
    from tests.pdfinfo import pdf_info

    decision = _decide(scored, vinh_long_officer)
    domain.record_decision(decision, actor=vinh_long_officer)
    info = pdf_info(decision_pdf(decision))
    street = f"{scored.producer.address}, " if scored.producer.address else ""
    assert (info["Author"], info["Subject"]) == (
        "UBND tỉnh Vĩnh Long",
        f"Vĩnh Long; {street}Phường Phú Khương, tỉnh Vĩnh Long",
    )
