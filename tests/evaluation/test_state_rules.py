"""The dossier work that only some states allow (samples, council block, scoresheet, the 5★ re-evaluation
sent to the Ministry): one rule in `ocop.evaluation.rules`, read by the dossier page as `can_*` and
enforced by the domain function."""

import datetime

import pytest
from django.urls import reverse

from ocop.core.activity import history_for
from ocop.core.dates import today
from ocop.core.errors import InvalidTransition
from ocop.evaluation import domain, rounds
from ocop.evaluation.enums import DecisionStatus, DossierState
from ocop.evaluation.models import Decision, Dossier
from ocop.evaluation.rules import (
    accepts_dossiers,
    may_close_round,
    may_fill_scoresheet,
    may_record_decision,
    may_record_samples,
    may_score,
    may_send_to_ministry,
)
from tests.factories import CertificateFactory, ProductFactory

from .conftest import complete_dossier, forward

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def submitted(draft, producer):
    complete_dossier(draft, producer)
    return domain.submit_dossier(draft, actor=producer)


@pytest.fixture
def forwarded(submitted, commune_officer):
    return forward(submitted, commune_officer)


@pytest.fixture
def five_star_reevaluation(round_, product, producer, commune_officer):
    """A 5★ product's re-evaluation, forwarded to the province (it goes to the Ministry, Art. 6.3b)."""
    product = ProductFactory(producer=product.producer, name="Dầu dừa Bến Tre")
    end = today() + datetime.timedelta(days=150)
    CertificateFactory(product=product, star=5, issued_on=end.replace(year=end.year - 3), expires_on=end)
    dossier = domain.open_dossier(actor=producer, round_=round_, product=product, kind="reevaluation")
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    return forward(dossier, commune_officer)


def _appraise(dossier, officer):
    domain.record_samples(dossier, actor=officer, count=5, received_on=today())
    return domain.appraise_dossier(dossier, actor=officer, note="Đủ", comments={})


def _samples_log(dossier):
    return [e for e in history_for(dossier) if e.action == "evaluation.dossier.samples_received"]


# Samples ---------------------------------------------------------------------------------------------


def test_may_record_samples_on_a_forwarded_dossier_for_the_office(forwarded, vinh_long_officer, producer):
    assert may_record_samples(vinh_long_officer, forwarded) is True
    assert may_record_samples(producer, forwarded) is False  # wrong role


def test_may_not_record_samples_before_forwarding_or_once_appraised(
    submitted, vinh_long_officer, commune_officer
):
    assert may_record_samples(vinh_long_officer, submitted) is False  # wrong state
    forwarded = forward(submitted, commune_officer)
    appraised = _appraise(forwarded, vinh_long_officer)
    assert may_record_samples(vinh_long_officer, appraised) is False


@pytest.mark.parametrize("fixture", ["draft", "submitted", "in_scoring"])
def test_record_samples_is_refused_outside_forwarded(fixture, request, vinh_long_officer):
    dossier = request.getfixturevalue(fixture)
    fields = ("state", "samples_received", "samples_received_on")
    before = (Dossier.objects.values_list(*fields).get(pk=dossier.pk), len(_samples_log(dossier)))
    with pytest.raises(InvalidTransition):
        domain.record_samples(dossier, actor=vinh_long_officer, count=3, received_on=today())
    assert (Dossier.objects.values_list(*fields).get(pk=dossier.pk), len(_samples_log(dossier))) == before


def test_record_samples_on_a_forwarded_dossier(forwarded, vinh_long_officer):
    domain.record_samples(forwarded, actor=vinh_long_officer, count=4, received_on=today())
    row = Dossier.objects.values_list("samples_received", "samples_received_on").get(pk=forwarded.pk)
    assert row == (4, today())
    assert [e.actor for e in _samples_log(forwarded)] == [vinh_long_officer]


def test_samples_post_outside_forwarded_is_a_message_and_changes_nothing(
    client_for, submitted, vinh_long_officer
):
    response = client_for(vinh_long_officer).post(
        reverse("backoffice:evaluation_samples", args=[submitted.pk]), {"count": "5"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Mẫu sản phẩm được ghi nhận khi hồ sơ đã chuyển lên tỉnh (trước khi thẩm định)."
    ]
    assert Dossier.objects.get(pk=submitted.pk).samples_received == submitted.samples_received


def test_dossier_page_offers_samples_from_the_rule(
    client_for, forwarded, submitted, vinh_long_officer, producer
):
    url = reverse("backoffice:evaluation_dossier", args=[forwarded.pk])
    assert client_for(vinh_long_officer).get(url).context["can_record_samples"] is True
    assert client_for(producer).get(url).context["can_record_samples"] is False


# Council ---------------------------------------------------------------------------------------------


def test_council_member_fills_a_scoresheet_only_while_scoring(in_scoring, council_member, vinh_long_officer):
    assert (may_score(council_member, in_scoring), may_fill_scoresheet(council_member, in_scoring)) == (
        True,
        True,
    )
    # wrong role: the office manages scoring, it does not score
    assert (may_score(vinh_long_officer, in_scoring), may_fill_scoresheet(vinh_long_officer, in_scoring)) == (
        False,
        False,
    )


def test_appraised_dossier_shows_the_council_block_without_a_scoresheet(
    forwarded, council_member, vinh_long_officer, members
):
    appraised = _appraise(forwarded, vinh_long_officer)
    assert (may_score(council_member, appraised), may_fill_scoresheet(council_member, appraised)) == (
        True,
        False,
    )
    assert (may_score(council_member, forwarded), may_fill_scoresheet(council_member, forwarded)) == (
        False,
        False,
    )


def test_scoresheet_page_flags_from_the_rule(client_for, in_scoring, council_member, members):
    context = (
        client_for(council_member).get(reverse("backoffice:evaluation_dossier", args=[in_scoring.pk])).context
    )
    assert (context["can_score"], context["can_fill_scoresheet"]) == (True, True)


# The Ministry ----------------------------------------------------------------------------------------


def test_may_send_a_forwarded_or_appraised_five_star_reevaluation(
    five_star_reevaluation, vinh_long_officer, producer, commune_officer
):
    dossier = five_star_reevaluation
    assert may_send_to_ministry(vinh_long_officer, dossier) is True
    assert may_send_to_ministry(producer, dossier) is False  # wrong role
    assert may_send_to_ministry(commune_officer, dossier) is False  # wrong role
    appraised = _appraise(dossier, vinh_long_officer)
    assert may_send_to_ministry(vinh_long_officer, appraised) is True


def test_may_not_send_a_dossier_scored_by_the_council_or_not_five_star(
    five_star_reevaluation, forwarded, vinh_long_officer
):
    assert may_send_to_ministry(vinh_long_officer, forwarded) is False  # a new dossier: the council scores
    Dossier.objects.filter(pk=five_star_reevaluation.pk).update(state=DossierState.SCORED)
    scored = Dossier.objects.get(pk=five_star_reevaluation.pk)
    assert may_send_to_ministry(vinh_long_officer, scored) is False  # wrong state


def test_send_to_ministry_is_refused_outside_forwarded_and_appraised(
    five_star_reevaluation, vinh_long_officer
):
    Dossier.objects.filter(pk=five_star_reevaluation.pk).update(state=DossierState.SCORED)
    scored = Dossier.objects.get(pk=five_star_reevaluation.pk)
    with pytest.raises(InvalidTransition):
        domain.send_to_ministry(scored, actor=vinh_long_officer, report="Báo cáo")
    assert Dossier.objects.values_list("state", "appraisal_note").get(pk=scored.pk) == (
        DossierState.SCORED,
        scored.appraisal_note,
    )


# Rounds and decisions ---------------------------------------------------------------------------------


def test_round_accepts_dossiers_until_its_deadline_while_open(round_, vinh_long_officer, producer):
    assert accepts_dossiers(round_, round_.submission_deadline) is True
    assert accepts_dossiers(round_, round_.submission_deadline + datetime.timedelta(days=1)) is False
    assert (may_close_round(vinh_long_officer, round_), may_close_round(producer, round_)) == (True, False)
    closed = rounds.close_round(round_, actor=vinh_long_officer)
    assert (accepts_dossiers(closed, today()), may_close_round(vinh_long_officer, closed)) == (False, False)
    with pytest.raises(InvalidTransition):
        rounds.close_round(closed, actor=vinh_long_officer)


def test_closed_round_page_offers_no_closing(client_for, round_, vinh_long_officer):
    url = reverse("backoffice:evaluation_round", args=[round_.pk])
    assert client_for(vinh_long_officer).get(url).context["can_close"] is True
    rounds.close_round(round_, actor=vinh_long_officer)
    assert client_for(vinh_long_officer).get(url).context["can_close"] is False


def test_may_record_a_draft_decision_only(round_, vinh_long_officer, producer):
    draft = Decision(round=round_, status=DecisionStatus.DRAFT)
    recorded = Decision(round=round_, status=DecisionStatus.RECORDED)
    assert (may_record_decision(vinh_long_officer, draft), may_record_decision(producer, draft)) == (
        True,
        False,
    )
    assert may_record_decision(vinh_long_officer, recorded) is False
