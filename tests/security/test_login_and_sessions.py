"""Brute force locks out then recovers; sessions rotate on login; a password change logs out elsewhere."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.integration


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_brute_force_locks_out_then_recovers(province_officer):
    from axes.models import AccessAttempt

    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [_login(client, "province", "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure locks the pair
    locked = _login(client, "province", PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # 16 minutes later (the cool-off is 15) the pair may log in again
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    ok = _login(client, "province", PASSWORD)
    assert (ok.status_code, client.session["_auth_user_id"]) == (302, str(province_officer.pk))


def test_lockout_is_per_username_and_address(province_officer, commune_officer):
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(5):
        _login(attacker, "province", "wrong-password")
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        _login(colleague, "province", PASSWORD).status_code == 302
    )  # the officer is not locked out by an attacker elsewhere


def test_login_rotates_the_session_key(province_officer):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    _login(client, "province", PASSWORD)
    assert client.session.session_key != before


def test_password_change_logs_out_other_sessions_but_not_this_one(province_officer):
    here, elsewhere = Client(), Client()
    _login(here, "province", PASSWORD)
    _login(elsewhere, "province", PASSWORD)
    response = here.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2025!",
            "new_password2": "Mat-khau-moi-2025!",
        },
    )
    assert response.status_code == 302
    assert here.get("/office/").status_code == 200
    assert elsewhere.get("/office/").status_code == 302  # sent to the login page


def test_logout_needs_post_and_ends_the_session(province_officer):
    client = Client()
    _login(client, "province", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/office/").status_code == 302
