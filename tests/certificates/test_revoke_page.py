"""Revoking from the office asks a ground (no default) and a ticked confirmation; nothing is written
otherwise."""

import pytest

from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.models import ActivityLog
from tests.factories import CertificateFactory

pytestmark = pytest.mark.integration


def _post(client, certificate, **extra):
    values = {
        "revoke-ground": "law_violation",
        "revoke-decision_number": "45/QĐ-UBND",
        "revoke-revoked_on": today().isoformat(),
        "revoke-concluded_on": today().isoformat(),
        "revoke-note": "",
        **extra,
    }
    return client.post(f"/office/certificates/{certificate.pk}/revoke", values, follow=True)


def test_revoke_without_confirmation_or_ground_writes_nothing(client_for, vinh_long_officer, admin_units):
    certificate = CertificateFactory()
    client = client_for(vinh_long_officer)
    _post(client, certificate)
    _post(client, certificate, **{"revoke-ground": "", "revoke-confirm": "on"})
    assert (Certificate.objects.get(pk=certificate.pk).revoked_on, ActivityLog.objects.count()) == (None, 0)


def test_revoke_with_confirmation(client_for, vinh_long_officer, admin_units):
    certificate = CertificateFactory()
    _post(client_for(vinh_long_officer), certificate, **{"revoke-confirm": "on"})
    assert Certificate.objects.get(pk=certificate.pk).revoked_on == today()
    assert list(ActivityLog.objects.values_list("action", flat=True)) == ["certificates.certificate.revoked"]
