"""The product page after a revocation says "đã thu hồi" with the date, the decision and its ground,
never "từng đạt … hạn cuối …"; the office history of the product shows the revocation."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.catalog.slugs import slug_for
from ocop.certificates.domain import revoke_certificate
from ocop.core.dates import today

from .helpers import certify

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_revoked_product_page_says_revoked_with_date(admin_units, vinh_long_officer):
    product = certify(name="Kẹo dừa sữa", star=4)
    certificate = product.certificates.get()
    day = today() - datetime.timedelta(days=3)
    revoke_certificate(
        certificate,
        actor=vinh_long_officer,
        ground="law_violation",
        decision_number="45/QĐ-UBND",
        revoked_on=day,
        concluded_on=day,
        note="",
    )
    html = Client().get(f"/products/{product.pk}/{slug_for(product.name)}/").content.decode()
    assert "Giấy chứng nhận đã bị thu hồi" in html
    assert f"thu hồi ngày {day:%d/%m/%Y}" in html
    assert (
        "45/QĐ-UBND" in html
        and "c) Vi phạm quy định pháp luật về chất lượng sản phẩm, an toàn thực phẩm" in html
    )
    assert "hạn cuối" not in html


def test_office_product_history_shows_revocation(admin_units, vinh_long_officer, client_for):
    product = certify(name="Kẹo dừa sữa", star=4)
    revoke_certificate(
        product.certificates.get(),
        actor=vinh_long_officer,
        ground="mark_misuse",
        decision_number="46/QĐ-UBND",
        revoked_on=today(),
        concluded_on=today(),
        note="",
    )
    html = client_for(vinh_long_officer).get(f"/office/history/product/{product.pk}/").content.decode()
    assert (
        "Thu hồi giấy chứng nhận (quyết định: 46/QĐ-UBND; căn cứ: d) Sử dụng nhãn hiệu OCOP không đúng quy định"
        in html
    )
    assert "certificates.certificate.revoked" not in html
