"""Item 2 of issue #12: every way into a session asks for the second factor of a two-factor account,
and turning two-factor authentication off needs a valid code."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.core.models import ActivityLog
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.integration


def _code(device, drift=0):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)).zfill(
        device.digits
    )


@pytest.fixture
def admin_with_totp(admin_units):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def test_admin_login_without_code_is_refused_for_a_two_factor_account(admin_with_totp):
    client = Client()
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert (
        response.status_code,
        [e.code for e in response.context["form"].non_field_errors().as_data()],
        "_auth_user_id" in client.session,
        client.get("/office/").status_code,
        client.get("/admin/").status_code,
    ) == (200, ["otp_required"], False, 302, 302)


def test_admin_login_with_code_reaches_admin_and_office(admin_with_totp):
    _user, device = admin_with_totp
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": "admin", "password": PASSWORD, "otp_token": _code(device), "next": "/admin/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert (client.get("/admin/").status_code, client.get("/office/").status_code) == (200, 200)


def test_session_logged_in_without_second_factor_cannot_reach_office(admin_with_totp):
    """Any login that skipped the code (here Django's login() itself, as a forgotten path would) ends
    at the first request: the session is flushed and the office answers with the login page."""
    user, _device = admin_with_totp
    client = Client()
    client.force_login(user)
    office = client.get("/office/")
    assert (office.status_code, office["Location"], "_auth_user_id" in client.session) == (
        302,
        "/accounts/login/",
        False,
    )
    client.force_login(user)
    assert (client.get("/admin/").status_code, "_auth_user_id" in client.session) == (302, False)
    client.force_login(user)
    two_factor = client.post("/accounts/two-factor/", {"action": "disable"})
    assert (two_factor.status_code, TOTPDevice.objects.filter(user=user).count()) == (302, 1)


def _login_with_code(device):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": device.user.username, "password": PASSWORD, "otp_token": _code(device)},
    )
    assert response.status_code == 302
    return client


def test_turning_two_factor_off_needs_a_valid_code(admin_with_totp):
    user, device = admin_with_totp
    client = _login_with_code(device)
    for data in ({"action": "disable"}, {"action": "disable", "token": "000000"}):
        refused = client.post("/accounts/two-factor/", data)
        assert (
            refused.status_code,
            bool(refused.context["error"]),
            TOTPDevice.objects.filter(user=user).count(),
        ) == (
            200,
            True,
            1,
        )
        device.refresh_from_db()
        device.throttle_reset()  # django-otp makes the next attempt wait after a failure
    assert ActivityLog.objects.filter(action="accounts.2fa.disabled").count() == 0
    ok = client.post("/accounts/two-factor/", {"action": "disable", "token": _code(device, drift=1)})
    log = ActivityLog.objects.get(action="accounts.2fa.disabled")
    assert (ok.status_code, TOTPDevice.objects.filter(user=user).count(), log.actor, log.object_id) == (
        302,
        0,
        user,
        str(user.pk),
    )
    # The session stays usable (nothing left to verify) and a new login needs no code.
    assert client.get("/office/").status_code == 200
    assert Client().post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code == 302


def test_turning_two_factor_on_verifies_this_session(province_officer):
    client = Client()
    assert client.post("/accounts/login/", {"username": "province", "password": PASSWORD}).status_code == 302
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=province_officer, confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": _code(device)})
    device.refresh_from_db()
    assert (response.status_code, device.confirmed, client.get("/office/").status_code) == (302, True, 200)
    assert list(
        ActivityLog.objects.filter(actor=province_officer, action__startswith="accounts.2fa.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["accounts.2fa.setup_started", "accounts.2fa.enabled"]
