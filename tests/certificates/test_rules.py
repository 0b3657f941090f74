"""`ocop.certificates.rules` may_revoke / may_suspend / may_lift: what the certificate page offers
(`can_*`), the same answers the domain functions give."""

import datetime

import pytest

from ocop.certificates import domain
from ocop.certificates.enums import RevocationGround
from ocop.certificates.rules import may_lift, may_revoke, may_suspend
from ocop.core.dates import today
from ocop.core.errors import InvalidTransition

from ..factories import CertificateFactory, ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def cert(producer_org):
    return CertificateFactory(
        product=ProductFactory(producer=producer_org),
        issued_on=today() - datetime.timedelta(days=300),
        decision_date=today() - datetime.timedelta(days=300),
        expires_on=today() + datetime.timedelta(days=700),
    )


def _flags(user, cert):
    return (may_revoke(user, cert), may_suspend(user, cert, today()), may_lift(user, cert))


def test_office_may_revoke_and_suspend_a_certificate_in_force(cert, vinh_long_officer, producer):
    assert _flags(vinh_long_officer, cert) == (True, True, False)
    assert _flags(producer, cert) == (False, False, False)  # wrong role


def test_held_certificate_may_be_lifted_not_suspended_again(cert, vinh_long_officer):
    domain.suspend_certificate(cert, actor=vinh_long_officer, reason="Hậu kiểm")
    cert.refresh_from_db()
    assert _flags(vinh_long_officer, cert) == (True, False, True)


def test_revoked_held_certificate_offers_nothing_and_lifting_is_refused(cert, vinh_long_officer):
    domain.suspend_certificate(cert, actor=vinh_long_officer, reason="Hậu kiểm")
    domain.revoke_certificate(
        cert,
        actor=vinh_long_officer,
        ground=RevocationGround.MARK_MISUSE,
        decision_number="12/QĐ-UBND",
        concluded_on=today(),
    )
    cert.refresh_from_db()
    assert _flags(vinh_long_officer, cert) == (False, False, False)
    with pytest.raises(InvalidTransition):
        domain.lift_suspension(cert, actor=vinh_long_officer)


def test_five_star_is_revoked_by_the_ministry_not_the_province(cert, vinh_long_officer, ministry_officer):
    cert.star = 5
    assert (may_revoke(vinh_long_officer, cert), may_revoke(ministry_officer, cert)) == (False, True)


def test_expired_certificate_may_not_be_suspended(cert, vinh_long_officer):
    assert may_suspend(vinh_long_officer, cert, cert.expires_on) is False
