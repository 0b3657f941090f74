"""Security headers and the production settings' defaults."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_pages_carry_security_headers(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp  # plus a per-request nonce on pages that use one
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_when_configured(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _production_settings(**env):
    code = (
        "import json, ocop.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY','DEBUG','X_FRAME_OPTIONS']}))"
    )
    environment = {**os.environ, "OCOP_ENV": "production", **env}
    environment.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


def test_production_defaults_are_secure():
    result = _production_settings(SECRET_KEY="x" * 50, STAMP_KEY="stamp-key-for-the-test")
    assert json.loads(result.stdout) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_production_refuses_the_default_secret():
    result = _production_settings(SECRET_KEY="", STAMP_KEY="stamp-key-for-the-test")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_api_errors_are_json_not_html(client, db):
    response = client.get("/api/v1/does-not-exist")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        404,
        "application/json",
        "not_found",
    )
