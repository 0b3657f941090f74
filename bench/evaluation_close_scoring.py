"""Closing scoring for a round of 200 dossiers × 9 council members (target: under 5 s).

Runs on a fresh test database (SQLite by default; DATABASE_URL for PostgreSQL) and writes
bench/results/evaluation_close_scoring.json."""

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402

from ocop.core.permissions import SYSTEM  # noqa: E402

DOSSIERS, MEMBERS = 200, 9


def build():
    from ocop.accounts.models import User
    from ocop.criteria.models import CriteriaSet
    from ocop.criteria.scoring import criteria_by_part
    from ocop.evaluation.enums import Body, DossierState, SheetStatus
    from ocop.evaluation.models import Dossier, Membership, Round, Scoresheet
    from ocop.geo.loader import load_admin_units
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Producer, Product

    load_admin_units()
    province = AdminUnit.objects.get(map="legacy", level="province", code="83")
    commune = AdminUnit.objects.get(map="legacy", level="commune", code="28756")
    criteria_set = CriteriaSet.objects.get(code="QD26-2026")
    today = datetime.date.today()
    round_ = Round.objects.create(
        province=province,
        name="Bench",
        year=today.year,
        criteria_set=criteria_set,
        submission_deadline=today,
        review_deadline=today,
        council_date=today,
    )
    users = User.objects.bulk_create([User(username=f"bench{i}") for i in range(MEMBERS)])
    Membership.objects.bulk_create([Membership(round=round_, user=u, body=Body.COUNCIL) for u in users])
    producer = Producer(name="HTX Bench", kind="cooperative", commune=commune)
    producer.save()
    products = Product.objects.bulk_create(
        [
            Product(producer=producer, name=f"Sản phẩm {i}", name_folded=f"san pham {i}", product_set=7)
            for i in range(DOSSIERS)
        ]
    )
    rubric = criteria_set.rubrics.get(product_set=7)
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(
                number=f"B-{i:04d}",
                round=round_,
                product=p,
                producer=producer,
                rubric=rubric,
                state=DossierState.SCORING,
            )
            for i, p in enumerate(products)
        ]
    )
    criteria = [c for _, c in criteria_by_part(rubric.tree)]
    rng = random.Random(1)
    Scoresheet.objects.bulk_create(
        [
            Scoresheet(
                dossier=d,
                member=u,
                status=SheetStatus.SUBMITTED,
                answers={c["id"]: rng.choice(c["options"])["id"] for c in criteria},
            )
            for d in dossiers
            for u in users
        ]
    )
    return dossiers, len(criteria)


def main():
    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from ocop.evaluation.domain import close_scoring_many
        from ocop.evaluation.models import Dossier

        dossiers, criteria = build()
        started = time.perf_counter()
        closed = close_scoring_many(dossiers, actor=SYSTEM)
        elapsed = time.perf_counter() - started
        assert len(closed) == DOSSIERS and not Dossier.objects.filter(state="scoring").exists()
        result = {
            "benchmark": "evaluation_close_scoring",
            "database": connection.vendor,
            "dossiers": DOSSIERS,
            "members": MEMBERS,
            "criteria": criteria,
            "seconds": round(elapsed, 3),
            "target_seconds": 5,
            "passed": elapsed < 5,
        }
    finally:
        runner.teardown_databases(old)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"evaluation_close_scoring_{result['database']}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
