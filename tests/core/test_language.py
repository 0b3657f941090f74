import pytest

pytestmark = pytest.mark.integration


def test_language_link_sets_the_cookie_and_returns(client, admin_units):
    response = client.get("/lang/en/", {"next": "/office/producers/?q=dua"})
    assert (response.status_code, response.url) == (302, "/office/producers/?q=dua")
    assert response.cookies["django_language"].value == "en"
    assert client.get("/").headers["Content-Language"] == "en"


def test_language_link_refuses_foreign_redirects_and_unknown_codes(client):
    response = client.get("/lang/xx/", {"next": "https://evil.example/"})
    assert (response.status_code, response.url) == (302, "/")
    assert "django_language" not in response.cookies


def test_public_pages_set_no_csrf_cookie_for_visitors(client, admin_units):
    response = client.get("/")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
