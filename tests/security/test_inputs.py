"""Hostile input: SQL-ish and very long searches, invalid UTF-8, path traversal in media URLs."""

import pytest

pytestmark = pytest.mark.integration

HOSTILE = [
    "' OR 1=1 --",
    '"; DROP TABLE registry_producer; --',
    "%' UNION SELECT password FROM accounts_user --",
    "\\x00\x00",
    "%%%%____",
    "<script>alert(1)</script>",
    "a" * 20000,
    "kẹo " * 5000,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_office_search_with_hostile_text_is_harmless(client_for, province_officer, producer_org, q):
    response = client_for(province_officer).get("/office/producers/", {"q": q})
    assert (response.status_code, list(response.context["page"])) == (200, [])
    assert b"<script>alert(1)</script>" not in response.content


def test_office_search_still_finds_after_hostile_text(client_for, province_officer, producer_org):
    response = client_for(province_officer).get("/office/producers/", {"q": "dua xanh"})
    assert list(response.context["page"]) == [producer_org]


@pytest.mark.parametrize(
    "path", ["/office/producers/?q=%FF%FE%FD", "/api/v1/partner/producers?cursor=%FF%C0%AF"]
)
def test_invalid_utf8_in_query_is_not_a_500(client_for, province_officer, path):
    response = client_for(province_officer).get(path)
    assert response.status_code in (200, 400, 401, 422)


def test_invalid_utf8_in_api_query_is_a_json_4xx(client, db):
    response = client.get("/api/v1/criteria-sets/%FF%FE/1")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message"}


@pytest.mark.parametrize(
    "path",
    [
        "/media/../ocop/settings.py",
        "/media/%2e%2e/ocop/settings.py",
        "/media/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/media/..%5c..%5cocop%5csettings.py",
        "/media//etc/passwd",
        "/media/products/%00.jpg",
    ],
)
def test_path_traversal_in_media_urls_is_refused(client, db, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert b"SECRET_KEY" not in response.content
    assert b"root:" not in response.content
