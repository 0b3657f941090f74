"""Production static files: collectstatic with the manifest storage must succeed (every referenced
file, such as source maps of vendored libraries, must exist)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_collectstatic_succeeds_with_production_storage(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS"))}
    env.update(
        OCOP_ENV="production",
        SECRET_KEY="k" * 50,
        STAMP_KEY="s" * 40,
        DEBUG="false",
        STATIC_ROOT=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ocop.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "staticfiles.json").exists()
