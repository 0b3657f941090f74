import datetime
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from ocop.certificates.models import Certificate
from ocop.core.models import ActivityLog
from ocop.registry.models import Producer, Product

ROOT = Path(__file__).resolve().parents[2]


def _start(env):
    code = "import django; django.setup(); print('ok')"
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "OCOP_", "DEBUG", "STAMP_"))
    }
    full_env.update(env, DJANGO_SETTINGS_MODULE="ocop.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, check=False
    )


@pytest.mark.unit
def test_production_refuses_the_default_secret_key():
    result = _start({"OCOP_ENV": "production", "DEBUG": "false", "STAMP_KEY": "s" * 40})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.unit
def test_production_refuses_debug_on():
    result = _start(
        {"OCOP_ENV": "production", "DEBUG": "true", "SECRET_KEY": "k" * 50, "STAMP_KEY": "s" * 40}
    )
    assert "DEBUG must be off in production" in result.stderr


@pytest.mark.unit
def test_production_starts_with_real_secrets():
    result = _start(
        {"OCOP_ENV": "production", "DEBUG": "false", "SECRET_KEY": "k" * 50, "STAMP_KEY": "s" * 40}
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok")


@pytest.mark.unit
def test_malformed_boolean_stops_start_up():
    result = _start({"DEBUG": "perhaps"})
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.integration
def test_seed_demo_matches_ben_tre_july_2022_and_is_idempotent(admin_units):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ActivityLog.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ActivityLog.objects.count(),
    ) == counts
    valid = Certificate.objects.valid_on(datetime.date(2022, 7, 31)).filter(
        product__producer__legacy_commune__province__code="83"
    )
    assert valid.count() == 131
    assert Counter(valid.values_list("star", flat=True)) == {3: 66, 4: 65}
    assert valid.filter(potential_5_star=True).count() == 16
    producers = Producer.objects.filter(products__certificates__in=valid).distinct()
    assert producers.count() == 54
    communes = {p.legacy_commune for p in producers.select_related("legacy_commune")}
    assert Counter(c.kind for c in communes) == {"xa": 34, "phuong": 5, "thi_tran": 2}
    assert len({c.district_id for c in communes}) == 9
