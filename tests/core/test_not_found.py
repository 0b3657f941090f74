import pytest

pytestmark = pytest.mark.integration


def test_unknown_api_path_answers_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing/1")
    assert (response.status_code, response.json()) == (404, {"code": "not_found", "message": "Not found."})


def test_unknown_page_answers_html_404(client, settings, admin_units):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
