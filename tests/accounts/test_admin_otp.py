"""#14 item 8: django-otp's admin views of a TOTP device looked it up with `objects.get`, so an unknown
id answered 500; they answer 404 now, and a known device still shows its page and QR code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def root_client(client, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    return client


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_unknown_device_is_404_not_500(root_client, view):
    client = root_client
    client.raise_request_exception = False
    response = client.get(f"/admin/otp_totp/totpdevice/999999/{view}/")
    assert response.status_code == 404


def test_known_device_pages_still_answer(root_client):
    device = TOTPDevice.objects.create(user=UserFactory(username="officer"), name="app", confirmed=True)
    config = root_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    qrcode = root_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert (config.status_code, qrcode.status_code, qrcode["Content-Type"]) == (200, 200, "image/svg+xml")
