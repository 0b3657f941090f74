import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.accounts.enums import Role
from ocop.accounts.models import User
from ocop.core.models import ActivityLog
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer

from ..factories import PASSWORD, UserFactory, unit

pytestmark = pytest.mark.integration


def _registration(commune, **extra):
    data = {
        "username": "htxmyan",
        "full_name": "Nguyễn Thị Mỹ",
        "account_email": "my@example.vn",
        "password1": "Dua-xanh-2025!",
        "password2": "Dua-xanh-2025!",
        "name": "Hợp tác xã Mỹ An",
        "kind": "cooperative",
        "tax_code": "1300555555",
        "commune": commune.pk,
    }
    data.update(extra)
    return data


def test_producer_self_registration_creates_pending_producer(client, admin_units):
    commune = unit("28804")
    response = client.post(reverse("accounts:register"), _registration(commune))
    assert response.status_code == 302
    user = User.objects.get(username="htxmyan")
    producer = Producer.objects.get()
    assert (producer.status, producer.commune, user.producer) == (ProducerStatus.PENDING, commune, producer)
    assert [a.role for a in user.assignments] == [Role.PRODUCER]
    assert set(ActivityLog.objects.values_list("action", flat=True)) == {
        "registry.producer.created",
        "accounts.role.assigned",
        "accounts.user.registered",
    }


def test_registration_with_mismatched_passwords_writes_nothing(client, admin_units):
    response = client.post(reverse("accounts:register"), _registration(unit("28804"), password2="other"))
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert (User.objects.count(), Producer.objects.count()) == (0, 0)


def test_registration_refuses_taken_username_and_tax_code(client, producer):
    data = _registration(unit("28804"), username="PRODUCER", tax_code=producer.producer.tax_code)
    response = client.post(reverse("accounts:register"), data)
    errors = response.context["form"].errors
    assert set(errors) == {"username", "tax_code"}


def test_login_locks_out_after_five_failures_then_recovers(client, admin_units, settings):
    UserFactory(username="officer")
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "officer", "password": "wrong"})
    locked = client.post(url, {"username": "officer", "password": PASSWORD})
    assert locked.status_code == 429
    from axes.utils import reset

    reset(username="officer")
    ok = client.post(url, {"username": "officer", "password": PASSWORD})
    assert ok.status_code == 302


def test_staff_with_totp_needs_the_code(client, province_officer):
    device = TOTPDevice.objects.create(user=province_officer, name="app", confirmed=True)
    url = reverse("accounts:login")
    without = client.post(url, {"username": "province", "password": PASSWORD})
    assert without.status_code == 200
    assert without.context["form"].errors["__all__"]
    code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )
    with_code = client.post(url, {"username": "province", "password": PASSWORD, "otp_token": code})
    assert with_code.status_code == 302


def test_two_factor_setup_confirms_with_a_code(client_for, province_officer):
    client = client_for(province_officer)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=province_officer)
    bad = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert bad.context["error"]
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next attempt wait after a failure
    code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )
    client.post(reverse("accounts:two_factor"), {"token": code})
    device.refresh_from_db()
    assert device.confirmed is True
    assert ActivityLog.objects.filter(action="accounts.2fa.enabled", actor=province_officer).count() == 1


def test_password_reset_sends_a_link(client, producer):
    producer.email = "producer@example.vn"
    producer.save()
    client.post(reverse("accounts:password_reset"), {"email": "producer@example.vn"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_home_page_lists_roles(client_for, province_officer):
    response = client_for(province_officer).get(reverse("backoffice:home"))
    assert response.status_code == 200
    assert [a.role for a in response.context["roles"]] == [Role.PROVINCE_OFFICER]
