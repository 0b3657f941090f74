import datetime
import re

import pytest
from django.urls import reverse

from ocop.core.dates import today

from ..evaluation.conftest import complete_dossier
from ..factories import CertificateFactory, ProductFactory

pytestmark = pytest.mark.integration


def _todo(client):
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 200
    return response


def test_commune_officer_sees_submitted_dossiers_waiting(client_for, commune_officer, producer, draft):
    from ocop.evaluation import domain

    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    response = _todo(client_for(commune_officer))
    body = response.content.decode()
    assert "<b>1</b><span>hồ sơ chờ xã kiểm tra</span></a>" in body
    # #14 item 6: no whitespace inside a to-do link (it was underlined before the label)
    todo = body[body.index('class="todo-list"') :]
    todo = todo[: todo.index("</ul>")]
    assert (re.findall(r"<a [^>]*>\s|</b>\s|\s</a>", todo), todo.count("<a ")) == ([], 1)


def test_producer_sees_its_draft_and_other_province_sees_nothing(
    client_for, producer, other_province_officer, draft
):
    body = _todo(client_for(producer)).content.decode()
    assert f'href="{reverse("backoffice:evaluation_dossiers")}?state=draft"><b>1</b>' in body
    other = _todo(client_for(other_province_officer)).content.decode()
    assert "?state=draft" not in other and "?state=submitted" not in other


def test_province_officer_sees_expiring_certificates(
    client_for, vinh_long_officer, province_officer, producer_org
):
    start = today() - datetime.timedelta(days=1000)
    CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=start,
        expires_on=today() + datetime.timedelta(days=20),
    )
    body = _todo(client_for(vinh_long_officer)).content.decode()
    assert '?status=expiring"><b>1</b>' in body
    # the former Bến Tre officer has nothing to act on: the panel says it only reads
    legacy = _todo(client_for(province_officer)).content.decode()
    assert ("?status=expiring" in legacy, 'id="read-only">Tài khoản của tỉnh cũ chỉ xem' in legacy) == (
        False,
        True,
    )
