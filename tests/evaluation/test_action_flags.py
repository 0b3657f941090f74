"""The dossier and certificate pages offer an action only when the transition table and the rules
allow it (`can_*` from the view; the templates no longer read state names)."""

import pytest
from django.urls import reverse

from ocop.certificates import domain as certificates
from ocop.core.dates import add_months, today
from ocop.evaluation.enums import TRANSITIONS, DossierState
from ocop.evaluation.rules import may_move
from tests.factories import CertificateFactory, ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FLAGS = ("can_review", "can_appraise", "can_open_scoring", "can_close_scoring", "can_disqualify", "can_edit")


def _flags(client, dossier):
    context = client.get(reverse("backoffice:evaluation_dossier", args=[dossier.pk])).context
    return {flag: context[flag] for flag in FLAGS}


def test_dossier_in_scoring_offers_closing_to_the_office_only(
    client_for, in_scoring, vinh_long_officer, producer
):
    assert _flags(client_for(vinh_long_officer), in_scoring) == {
        "can_review": False,
        "can_appraise": False,
        "can_open_scoring": False,
        "can_close_scoring": True,
        "can_disqualify": True,
        "can_edit": False,
    }
    assert not any(_flags(client_for(producer), in_scoring).values())
    page = client_for(vinh_long_officer).get(reverse("backoffice:evaluation_dossier", args=[in_scoring.pk]))
    assert 'id="close-scoring"' in page.content.decode() and 'id="open-scoring"' not in page.content.decode()


def test_draft_is_editable_by_its_producer_only(client_for, draft, producer, vinh_long_officer):
    assert _flags(client_for(producer), draft)["can_edit"] is True
    assert _flags(client_for(vinh_long_officer), draft)["can_edit"] is False


@pytest.mark.parametrize("state", list(DossierState))
def test_may_move_is_the_transition_table(state, draft, vinh_long_officer):
    draft.state = state
    for target in DossierState:
        if target not in TRANSITIONS[state]:
            assert not may_move(vinh_long_officer, draft, target)


def test_certificate_actions_follow_its_dates(client_for, vinh_long_officer, producer_org):
    cert = CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=add_months(today(), -12),
        decision_date=add_months(today(), -12),
        expires_on=add_months(today(), 24),
    )
    client = client_for(vinh_long_officer)
    url = reverse("backoffice:certificate_detail", args=[cert.pk])

    def flags():
        context = client.get(url).context
        return (context["can_revoke"], context["can_suspend"], context["can_lift"])

    assert flags() == (True, True, False)
    certificates.suspend_certificate(cert, actor=vinh_long_officer, reason="Hậu kiểm")
    assert flags() == (True, False, True)


def test_may_move_asks_the_permission_of_the_move_from_its_state(draft, producer, commune_officer):
    draft.state = DossierState.COMPLETION  # the producer sends the completed dossier back (MOVE_PERMS)
    assert (
        may_move(producer, draft, DossierState.FORWARDED),
        may_move(commune_officer, draft, "forwarded"),
    ) == (
        True,
        False,
    )
