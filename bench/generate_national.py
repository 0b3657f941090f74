"""Build a national-scale OCOP data set for benchmarks (and for anyone who needs volume).

    .venv/bin/python bench/generate_national.py [--producers 8500] [--products 16000] [--years 4]
        [--as-of 2025-12-31] [--seed 1] [--wipe]

Defaults: 34 current provinces with their 3,321 communes (the real map, loaded first with
`manage.py load_admin_units`), 8,500 producers, 16,000 products certified on --as-of, each with its
certificate history over the last --years years (first recognition, re-recognition every 36 months,
some upgrades), plus about 6 % products whose certificate lapsed or was revoked. Producers get both
their current commune and the legacy commune it came from, so reports before and after 1/7/2025 work.

Rows are tagged (product code "BENCH-…", certificate number "BN…") and `--wipe` removes them first.
Everything goes through bulk_create: about 20 s on SQLite, 30 s on PostgreSQL for the defaults.
Reusable from code: `generate(producers=…, products=…, years=…, as_of=…, seed=…, provinces=[codes])`.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from ocop.certificates.models import Certificate  # noqa: E402
from ocop.core.dates import add_months  # noqa: E402
from ocop.core.text import fold  # noqa: E402
from ocop.geo.models import AdminUnit, Succession  # noqa: E402
from ocop.registry.models import Producer, Product  # noqa: E402

KINDS = [
    ("cooperative", 32),
    ("enterprise", 22),
    ("household", 32),
    ("coop_group", 8),
    ("production_household", 6),
]
NAMES = ["Kẹo dừa", "Nước mắm", "Trà", "Mật ong", "Bánh tráng", "Gạo", "Cà phê", "Rượu", "Khô cá", "Tinh dầu"]
BATCH = 2000


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def wipe():
    with transaction.atomic():
        Certificate.objects.filter(number__startswith="BN").update(superseded_by=None)
        Certificate.objects.filter(number__startswith="BN").delete()
        product_ids = Product.objects.filter(code__startswith="BENCH-").values_list("producer_id", flat=True)
        producer_ids = set(product_ids)
        Product.objects.filter(code__startswith="BENCH-").delete()
        Producer.objects.filter(pk__in=producer_ids, name__startswith="Chủ thể BENCH").delete()


def _communes(provinces):
    qs = AdminUnit.objects.filter(map="current", level="commune")
    if provinces:
        qs = qs.filter(province__code__in=provinces)
    communes = list(qs.values_list("pk", flat=True))
    legacy = {}
    for new_id, old_id, _partial in (
        Succession.objects.filter(new_id__in=communes, old__level="commune")
        .values_list("new_id", "old_id", "partial")
        .order_by("new_id", "partial", "old__code")
    ):
        legacy.setdefault(new_id, old_id)
    return communes, legacy


def _history(rng, as_of, years, pid, star, potential, kind_cycle):
    """Certificates of one product (oldest first) ending valid on as_of (or lapsed when kind_cycle says)."""
    first = as_of - datetime.timedelta(days=rng.randint(20, 365 * (years + 2)))
    certs, issued, current_star, kind = [], first, 3 if star > 3 and rng.random() < 0.3 else star, "new"
    while True:
        expires = add_months(issued, 36)
        certs.append([issued, expires, current_star, kind])
        nxt = expires if rng.random() < 0.7 else issued + datetime.timedelta(days=rng.randint(300, 900))
        if nxt > as_of:
            break
        if current_star < star and nxt < expires:
            current_star, kind = star, "upgrade"
        else:
            kind = "reevaluation"
        issued = nxt
    certs[-1][2] = star
    if kind_cycle == "lapsed":  # last certificate ran out before as_of without renewal
        last = certs[-1]
        last[1] = as_of - datetime.timedelta(days=rng.randint(1, 300))
        if last[1] <= last[0]:
            last[1] = last[0] + datetime.timedelta(days=1)
    result = []
    for i, (issued, expires, s, kind) in enumerate(certs):
        superseded = certs[i + 1][0] if i + 1 < len(certs) and certs[i + 1][0] < expires else None
        result.append(
            {
                "issued_on": issued,
                "expires_on": expires,
                "star": s,
                "kind": kind,
                "superseded_on": superseded,
                "potential_5_star": potential and i == len(certs) - 1,
            }
        )
    if kind_cycle == "revoked":
        last = result[-1]
        last["revoked_on"] = min(as_of, last["issued_on"] + datetime.timedelta(days=rng.randint(30, 500)))
    return result


def generate(
    *, producers=8500, products=16000, years=4, as_of=datetime.date(2025, 12, 31), seed=1, provinces=None
):
    rng = random.Random(seed)
    communes, legacy = _communes(provinces)
    if not communes:
        raise SystemExit("No current communes: run manage.py load_admin_units first.")
    started = time.perf_counter()
    with transaction.atomic():
        start_index = Producer.objects.filter(name__startswith="Chủ thể BENCH").count()
        rows = []
        for i in range(producers):
            commune = rng.choice(communes)
            name = f"Chủ thể BENCH {start_index + i:05d}"
            rows.append(
                Producer(
                    name=name,
                    name_folded=fold(name),
                    kind=_pick(rng, KINDS),
                    commune_id=commune,
                    current_commune_id=commune,
                    legacy_commune_id=legacy.get(commune),
                    status="active",
                )
            )
        Producer.objects.bulk_create(rows, batch_size=BATCH)
        producer_ids = list(
            Producer.objects.filter(name__startswith="Chủ thể BENCH")
            .order_by("-pk")
            .values_list("pk", flat=True)[:producers]
        )
        lapsed = int(products * 0.06)
        rows = []
        for i in range(products + lapsed):
            producer = producer_ids[i] if i < len(producer_ids) else rng.choice(producer_ids)
            name = f"{rng.choice(NAMES)} BENCH {i:06d}"
            rows.append(
                Product(
                    producer_id=producer,
                    name=name,
                    name_folded=fold(name),
                    product_set=rng.randint(1, 26),
                    code=f"BENCH-{seed}-{i:06d}",
                    status="active",
                )
            )
        Product.objects.bulk_create(rows, batch_size=BATCH)
        product_ids = list(
            Product.objects.filter(code__startswith=f"BENCH-{seed}-")
            .order_by("code")
            .values_list("pk", flat=True)
        )
        certs, number = [], Certificate.objects.filter(number__startswith="BN").count()
        for i, pid in enumerate(product_ids):
            star = _pick(rng, [(3, 76), (4, 23.2), (5, 0.8)])
            potential = star == 4 and rng.random() < 0.03
            cycle = "valid" if i < products else rng.choice(["lapsed", "revoked"])
            for c in _history(rng, as_of, years, pid, star, potential, cycle):
                number += 1
                certs.append(
                    Certificate(
                        number=f"BN{seed}-{number:07d}",
                        product_id=pid,
                        decision_number=f"{number}/QĐ-UBND",
                        decision_date=c["issued_on"],
                        issuer_name="UBND tỉnh",
                        source="import",
                        **c,
                    )
                )
        Certificate.objects.bulk_create(certs, batch_size=BATCH)
    elapsed = time.perf_counter() - started
    return {
        "producers": producers,
        "products": len(product_ids),
        "certificates": len(certs),
        "seconds": round(elapsed, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--producers", type=int, default=8500)
    parser.add_argument("--products", type=int, default=16000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--as-of", default="2025-12-31")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", action="append", help="current province code(s); default all 34")
    parser.add_argument("--wipe", action="store_true", help="remove earlier generated rows first")
    args = parser.parse_args()
    if args.wipe:
        wipe()
    result = generate(
        producers=args.producers,
        products=args.products,
        years=args.years,
        as_of=datetime.date.fromisoformat(args.as_of),
        seed=args.seed,
        provinces=args.province,
    )
    print(result)


if __name__ == "__main__":
    main()
