"""A shopper opens a valid, an expired, a revoked and a forged stamp URL and reads the verdict."""

import datetime

import pytest

from ocop.certificates.enums import RevocationGround
from ocop.core.dates import add_months, today
from ocop.stamps.enums import BatchState
from ocop.stamps.models import StampBatch
from ocop.stamps.serials import make_serial

from ..factories import CertificateFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _batch(certificate):
    batch = StampBatch.objects.create(
        product=certificate.product,
        certificate=certificate,
        quantity=100,
        key_id=1,
        state=BatchState.APPROVED,
    )
    return make_serial(batch.pk, 3, 1)


def test_verify_verdicts_in_the_browser(browser, live_server, admin_units, settings):
    settings.STAMP_KEYS, settings.STAMP_KEY_ID = {"1": "e2e-key"}, "1"
    from ocop.stamps.serials import _mac_base

    _mac_base.cache_clear()
    start = today() - datetime.timedelta(days=100)
    valid = CertificateFactory(
        product=ProductFactory(name="Kẹo dừa Bến Tre"),
        star=4,
        issued_on=start,
        expires_on=add_months(start, 36),
    )
    expired = CertificateFactory(product=ProductFactory(name="Bánh phồng Sơn Đốc"))  # 2022–2025
    revoked = CertificateFactory(
        product=ProductFactory(name="Mắm tép Ba Tri"),
        issued_on=start,
        expires_on=add_months(start, 36),
        revoked_on=today() - datetime.timedelta(days=5),
        revocation_ground=RevocationGround.LAW_VIOLATION,
    )
    serials = {"valid": _batch(valid), "expired": _batch(expired), "revoked": _batch(revoked)}
    serials["forged"] = serials["valid"][:-1] + ("0" if serials["valid"][-1] != "0" else "1")
    expected = {
        "valid": ("valid", "CHÍNH HÃNG – CÒN HIỆU LỰC"),
        "expired": ("expired", "HẾT HIỆU LỰC"),
        "revoked": ("revoked", "ĐÃ BỊ THU HỒI"),
        "forged": ("unknown", "KHÔNG PHẢI MÃ OCOP"),
    }
    seen = {}
    # The session's shared browser (tests/e2e/conftest.py): a second Playwright instance cannot run
    # beside it in one thread.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    for name, serial in serials.items():
        page.goto(f"{live_server.url}/v/{serial}")
        verdict = page.locator("section.verdict")
        seen[name] = (verdict.get_attribute("data-status"), verdict.locator("h1").inner_text())
    page.goto(f"{live_server.url}/v/")
    page.fill("#code", serials["valid"])
    page.click("button.btn")
    seen["typed"] = page.locator("section.verdict").get_attribute("data-status")
    context.close()
    _mac_base.cache_clear()

    assert seen == {**expected, "typed": "valid"}
