"""With DEBUG off, 404, 403 and 500 are the site's own pages, in its layout and in Vietnamese."""

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.integration


def _layout(html):
    return ('class="mainnav"' in html, "/static/ocop/ocop.css" in html)


def test_404_is_the_site_page(settings, admin_units):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert (response.status_code, _layout(html), "<h1>Không tìm thấy trang</h1>" in html) == (
        404,
        (True, True),
        True,
    )


def test_403_is_the_site_page(settings, client_for, commune_officer):
    settings.DEBUG = False
    response = client_for(commune_officer).get("/office/accounts/")
    html = response.content.decode()
    assert (response.status_code, _layout(html), "<h1>Không có quyền truy cập</h1>" in html) == (
        403,
        (True, True),
        True,
    )


def test_500_is_the_site_page(settings):
    settings.DEBUG = False
    with translation.override("vi"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert (response.status_code, _layout(html), "<h1>Đã có lỗi xảy ra</h1>" in html) == (
        500,
        (True, True),
        True,
    )


def test_form_labels_are_capitalised(client_for, vinh_long_officer, admin_units):
    from tests.factories import CertificateFactory

    certificate = CertificateFactory()
    html = client_for(vinh_long_officer).get(f"/office/certificates/{certificate.pk}/").content.decode()
    assert ('<label for="id_revoke-ground">Căn cứ</label>' in html, ">căn cứ</label>" in html) == (
        True,
        False,
    )
    assert re.search(
        r"<select name=\"revoke-ground\"[^>]*>\s*<option value=\"\" selected>", html
    )  # no default ground
