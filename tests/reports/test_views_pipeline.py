"""The office dashboard shows the pipeline of the current evaluation round of its province."""

import pytest
from django.urls import reverse

from ..evaluation.conftest import complete_dossier

pytestmark = pytest.mark.integration


def test_dashboard_shows_current_round_pipeline(client_for, province_officer, draft, producer):
    from ocop.evaluation import domain

    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    response = client_for(province_officer).get(reverse("backoffice:reports_dashboard"))
    assert response.context["round"] == draft.round
    assert [(state, n) for state, _label, n in response.context["pipeline"]] == [("submitted", 1)]


def test_dashboard_of_other_province_has_no_round(client_for, other_province_officer, draft):
    response = client_for(other_province_officer).get(reverse("backoffice:reports_dashboard"))
    assert (response.context["round"], response.context["pipeline"]) == (None, [])


def test_dossier_list_filters_by_round(client_for, province_officer, draft, producer):
    from ocop.evaluation import domain

    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    client = client_for(province_officer)
    url = reverse("backoffice:evaluation_dossiers")
    assert list(client.get(url, {"round": draft.round_id}).context["dossiers"]) == [draft]
    assert list(client.get(url, {"round": draft.round_id + 1}).context["dossiers"]) == []
