"""Office pages for partner API tokens."""

import pytest

from ocop.api import domain
from ocop.api.models import ApiToken, Scope
from tests.factories import unit

pytestmark = pytest.mark.integration


def test_province_officer_creates_a_token_and_sees_the_secret_once(client_for, vinh_long_officer, vinh_long):
    client = client_for(vinh_long_officer)
    response = client.post(
        "/office/api-tokens/new/",
        {
            "name": "Đồng bộ",
            "partner": "Postmart",
            "scopes": ["registry:read"],
            "province": vinh_long.pk,
            "rate_limit_per_minute": 60,
        },
    )
    token = ApiToken.objects.get()
    raw = response.context["raw"]
    assert (response.status_code, response["Cache-Control"]) == (
        200,
        "no-store, max-age=0, no-cache, must-revalidate, private",
    )
    assert domain.authenticate(raw) == token
    assert (token.province, token.scopes, token.created_by) == (
        vinh_long,
        ["registry:read"],
        vinh_long_officer,
    )
    listing = client.get("/office/api-tokens/")
    assert list(listing.context["tokens"]) == [token]
    assert raw not in listing.content.decode()


def test_province_officer_cannot_pick_another_province(client_for, vinh_long_officer, tien_giang):
    client = client_for(vinh_long_officer)
    response = client.post(
        "/office/api-tokens/new/",
        {
            "name": "x",
            "partner": "y",
            "scopes": ["registry:read"],
            "province": tien_giang.pk,
            "rate_limit_per_minute": 60,
        },
    )
    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_other_province_officer_cannot_see_or_revoke(
    client_for, vinh_long_officer, other_province_officer, vinh_long
):
    token, _raw = domain.issue_token(
        actor=vinh_long_officer, name="x", partner="y", scopes=[Scope.REGISTRY], province=vinh_long
    )
    client = client_for(other_province_officer)
    assert list(client.get("/office/api-tokens/").context["tokens"]) == []
    assert client.post(f"/office/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_producer_cannot_reach_token_pages(client_for, producer):
    client = client_for(producer)
    assert client.get("/office/api-tokens/").status_code == 403
    assert client.get("/office/api-tokens/new/").status_code == 403


def test_officer_revokes_a_token(client_for, vinh_long_officer, vinh_long):
    token, raw = domain.issue_token(
        actor=vinh_long_officer,
        name="x",
        partner="y",
        scopes=[Scope.REGISTRY],
        province=unit("86", map="current"),
    )
    response = client_for(vinh_long_officer).post(
        f"/office/api-tokens/{token.pk}/revoke/", {"reason": "hết hợp đồng"}
    )
    token.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/office/api-tokens/")
    assert token.revoked_by == vinh_long_officer
    assert domain.authenticate(raw) is None
