"""Partner endpoints for dossier status and stamp batch status."""

import pytest

from ocop.api.models import Scope
from ocop.evaluation import domain as evaluation

from ..evaluation.conftest import complete_dossier
from ..factories import ProductFactory
from ..stamps.helpers import approved_batch, valid_certificate

pytestmark = pytest.mark.integration


def test_dossiers_list_submitted_dossiers_of_the_token_province(client, issue, draft, producer):
    _token, header = issue(scopes=[Scope.DOSSIERS])
    hidden_draft = draft.number
    complete_dossier(draft, producer)
    evaluation.submit_dossier(draft, actor=producer)
    response = client.get("/api/v1/partner/dossiers", HTTP_AUTHORIZATION=header)
    body = response.json()
    assert response.status_code == 200
    assert [(d["number"], d["state"], d["result_star"]) for d in body["items"]] == [
        (hidden_draft, "submitted", None)
    ]
    assert body["next_cursor"] is None


def test_draft_dossier_is_private(client, issue, draft):
    _token, header = issue(scopes=[Scope.DOSSIERS])
    assert client.get("/api/v1/partner/dossiers", HTTP_AUTHORIZATION=header).json()["items"] == []
    response = client.get(f"/api/v1/partner/dossiers/{draft.number}", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_dossier_of_another_province_is_404(client, issue, draft, producer, other_province_officer):
    complete_dossier(draft, producer)
    evaluation.submit_dossier(draft, actor=producer)
    _token, header = issue(scopes=[Scope.DOSSIERS], province="82")
    response = client.get(f"/api/v1/partner/dossiers/{draft.number}", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_dossiers_need_their_scope(client, issue, draft):
    _token, header = issue(scopes=[Scope.REGISTRY])
    response = client.get("/api/v1/partner/dossiers", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_stamp_batches_show_state_within_the_province(
    client, issue, producer_org, vinh_long_officer, other_producer, dong_thap_officer
):
    ours = approved_batch(
        valid_certificate(ProductFactory(producer=producer_org)), actor=vinh_long_officer, lot_number="L-01"
    )
    approved_batch(
        valid_certificate(ProductFactory(producer=other_producer.producer)),
        actor=dong_thap_officer,
        lot_number="X",
    )
    _token, header = issue(scopes=[Scope.STAMPS])
    body = client.get("/api/v1/partner/stamp-batches", HTTP_AUTHORIZATION=header).json()
    assert [(b["id"], b["state"], b["lot_number"], b["quantity"]) for b in body["items"]] == [
        (ours.pk, "approved", "L-01", 100)
    ]
    detail = client.get(f"/api/v1/partner/stamp-batches/{ours.pk}", HTTP_AUTHORIZATION=header)
    assert detail.json()["certificate_number"] == ours.certificate.number
    assert client.get("/api/v1/partner/stamp-batches/999999", HTTP_AUTHORIZATION=header).status_code == 404
