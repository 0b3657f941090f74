"""`make run`: the port given is the one printed and used for links; the demo logins are short lines
(user name and role, not the user name twice)."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "/usr/bin/make"
# The suite itself runs under `make test`, whose exported variables (SITE_URL, PORT, MAKEFLAGS…) would
# reach the inner make: run it as from a fresh shell.
ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"SITE_URL", "PORT", "HOST", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
}


def test_make_run_prints_and_exports_the_port():
    out = subprocess.run(
        [MAKE, "-n", "-s", "run", "PORT=8107"], cwd=ROOT, capture_output=True, text=True, check=True, env=ENV
    ).stdout
    assert re.findall(r'http://127\.0\.0\.1:\d+/[^\s"]*', out) == [
        "http://127.0.0.1:8107/",
        "http://127.0.0.1:8107/office/",
    ]
    assert "runserver 127.0.0.1:8107" in out
    site = subprocess.run(
        [MAKE, "-s", "--eval=print-site: ; @echo $$SITE_URL", "print-site", "PORT=8107"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    ).stdout.strip()
    assert site == "http://127.0.0.1:8107"


@override_settings(SITE_URL="http://127.0.0.1:8107")
def test_seed_demo_prints_username_and_role_once(admin_units):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    logins = [line.split(None, 1) for line in lines if line.startswith("  ")]
    assert (
        lines[1] == "Demo logins at http://127.0.0.1:8107/accounts/login/ (password for all: ocop-demo-2025):"
    )
    assert dict(logins)["vinh_long_officer"] == "Cán bộ VPĐP tỉnh, Tỉnh Vĩnh Long"
    assert all(username not in role for username, role in logins)
    assert len(lines) <= 15
