"""Item 12 of issue #12: the `next` field of office actions follows only paths of this site."""

import pytest

from ocop.evaluation.models import Dossier
from tests.evaluation.conftest import demo_set, draft, product, round_  # noqa: F401

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "next_value",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "backoffice:home",  # a URL name that redirect() would otherwise reverse
        "/\\evil.example",
    ],
)
def test_office_action_next_refuses_other_sites(client_for, producer, draft, next_value):  # noqa: F811
    response = client_for(producer).post(
        f"/office/evaluation/dossiers/{draft.pk}/submit/", {"next": next_value}
    )
    assert (response.status_code, response["Location"], Dossier.objects.get(pk=draft.pk).state) == (
        302,
        f"/office/evaluation/dossiers/{draft.pk}/",
        "draft",
    )


def test_office_action_next_follows_same_site_path(client_for, producer, draft):  # noqa: F811
    response = client_for(producer).post(
        f"/office/evaluation/dossiers/{draft.pk}/submit/", {"next": "/office/?tab=dossiers"}
    )
    assert (response.status_code, response["Location"]) == (302, "/office/?tab=dossiers")


def test_language_switch_next_refuses_other_sites(client):
    response = client.get("/lang/en/?next=https://evil.example/")
    assert (response.status_code, response["Location"]) == (302, "/")
