"""Stamp test data built through the domain functions (the office approves what the producer orders)."""

import datetime

import pytest

from ocop.core.dates import add_months, today
from ocop.stamps import domain
from ocop.stamps.serials import make_serial

from ..factories import CertificateFactory, ProductFactory


def valid_certificate(product=None, *, star=4, issued_on=None, **extra):
    issued_on = issued_on or today() - datetime.timedelta(days=200)
    product = product or ProductFactory()
    return CertificateFactory(
        product=product,
        star=star,
        issued_on=issued_on,
        decision_date=issued_on,
        expires_on=add_months(issued_on, 36),
        **extra,
    )


def approved_batch(certificate, *, actor, quantity=100, **extra):
    batch = domain.order_batch(certificate.product, actor=actor, quantity=quantity, **extra)
    return domain.approve_batch(batch, actor=actor)


def serial_of(batch, index=0):
    return make_serial(batch.pk, index, batch.key_id)


@pytest.fixture
def certificate(producer_org):
    return valid_certificate(ProductFactory(producer=producer_org, name="Kẹo dừa sáp Thanh Long"))


@pytest.fixture
def batch(certificate, vinh_long_officer):
    return approved_batch(certificate, actor=vinh_long_officer, lot_number="L-2026-07")
