"""Benchmark: import a 20,000-row provincial list on SQLite and on PostgreSQL (target: under 60 s each).

    .venv/bin/python bench/import_bench.py [--rows 20000] [--skip-postgres] [--pg-url URL]

For each database the script starts from nothing, as a new installation does: an empty database,
`migrate`, `load_admin_units`; then it times `manage.py import_ocop_products FILE` (the first import,
which creates everything), the same file again (idempotent: creates nothing) and a `--dry-run`.
SQLite uses a fresh file in a temporary folder; PostgreSQL its own database `ocop_bench_import`
(dropped and created again). The spreadsheet is generated from the real map on the first database
and reused: producers all over the country, about one in three without a tax code, one to four
products each, some products with a later re-recognition, decisions from 2019 to 2026 (so both maps
are used: legacy communes with their district before 1/7/2025, current communes after), unit names
written with or without prefix or diacritics, some by code. Figures go to bench/results/import_bench.json.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/ocop_bench_import"


# ------------------------------------------------------------------------------------------------
# Worker: runs inside one database (DATABASE_URL set by the orchestrator)


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def generate(path, rows, seed=1):
    """Write a realistic provincial-format spreadsheet of `rows` data rows to `path`."""
    import datetime
    import random

    from openpyxl import Workbook

    from ocop.certificates.importer import _both_maps
    from ocop.certificates.importer.read import TEMPLATE_HEADERS
    from ocop.core.dates import add_months
    from ocop.geo.models import AdminUnit

    rng = random.Random(seed)
    legacy = list(
        AdminUnit.objects.filter(map="legacy", level="commune").select_related("district", "province")
    )
    current_by_pk = {
        u.pk: u for u in AdminUnit.objects.filter(map="current", level="commune").select_related("province")
    }
    successor = {pk: pair[1] for pk, pair in _both_maps(legacy).items()}
    # Names that are unique in their district (legacy) or province (current) can be written as names.
    seen = {}
    for u in legacy:
        seen[(u.district_id, u.short_folded)] = seen.get((u.district_id, u.short_folded), 0) + 1
    for u in current_by_pk.values():
        seen[(u.province_id, u.short_folded)] = seen.get((u.province_id, u.short_folded), 0) + 1

    legacy = [u for u in legacy if successor.get(u.pk)]  # a few legacy units have no successor
    kinds = [
        "Hợp tác xã",
        "HTX",
        "Doanh nghiệp",
        "Công ty TNHH",
        "Hộ kinh doanh",
        "Tổ hợp tác",
        "Cơ sở sản xuất",
    ]
    goods = [
        "Kẹo dừa",
        "Nước mắm",
        "Trà",
        "Mật ong",
        "Bánh tráng",
        "Gạo",
        "Cà phê",
        "Rượu",
        "Khô cá",
        "Tinh dầu",
    ]
    flavours = ["sữa", "lá dứa", "sầu riêng", "truyền thống", "hữu cơ", "đặc biệt", "thượng hạng", "gừng"]
    reform = datetime.date(2025, 7, 1)
    last_day = datetime.date(2026, 10, 31)
    start = datetime.date(2019, 1, 1)
    span = (last_day - start).days

    def place(commune, day):
        """(province cell, district cell, commune cell) as a province would write them on `day`."""
        if day >= reform:
            unit = current_by_pk[successor[commune.pk]]
            name_ok = seen[(unit.province_id, unit.short_folded)] == 1
            province = rng.choice([unit.province.name, unit.province.code])
            return province, "", unit.name if name_ok and rng.random() < 0.8 else unit.code
        name_ok = seen[(commune.district_id, commune.short_folded)] == 1
        cell = commune.code
        if name_ok and rng.random() < 0.8:
            cell = commune.name if rng.random() < 0.5 else commune.short_folded  # no prefix, no diacritics
        province = rng.choice([commune.province.name, commune.province.short_folded, commune.province.code])
        return province, commune.district.name, cell

    out = []
    producer_no = 0
    while len(out) < rows:
        producer_no += 1
        commune = rng.choice(legacy)
        tax = str(1_000_000_000 + producer_no) if rng.random() < 0.65 else ""
        kind = rng.choice(kinds)
        producer = f"{kind} {rng.choice(goods)} {commune.short_folded.title()} số {producer_no}"
        for product_no in range(rng.randint(1, 4)):
            name = f"{rng.choice(goods)} {rng.choice(flavours)} {producer_no}-{product_no}"
            first = start + datetime.timedelta(days=rng.randrange(span))
            days = [first]
            if rng.random() < 0.25 and add_months(first, 36) <= last_day:
                days.append(add_months(first, 36))
            for n, day in enumerate(days):
                province, district, commune_cell = place(commune, day)
                star = rng.choices([3, 4, 5], [76, 23, 1])[0]
                out.append(
                    [
                        len(out) + 1,
                        name,
                        producer,
                        kind,
                        tax,
                        province,
                        district,
                        commune_cell,
                        rng.randint(1, 26),
                        rng.choice([f"{star}", f"{star} sao", f"{star}★"]),
                        "x" if star == 4 and rng.random() < 0.1 else "",
                        round(rng.uniform(50, 99), 1),
                        f"{rng.randint(1, 3000)}/QĐ-UBND",
                        day if rng.random() < 0.5 else day.strftime("%d/%m/%Y"),
                        "",
                        "",
                    ]
                )
                if n == 0 and len(out) >= rows:
                    break
            if len(out) >= rows:
                break
    del out[rows:]
    workbook = Workbook()  # not write_only: Excel writes the sheet's <dimension>, as this does
    sheet = workbook.active
    sheet.title = "Danh sách OCOP"
    sheet.append(TEMPLATE_HEADERS)  # the header row of the downloadable template
    for values in out:
        sheet.append(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def worker(args):
    _setup_django()
    from django.core.management import CommandError, call_command
    from django.db import connection

    from ocop.certificates.models import Certificate
    from ocop.registry.models import Producer, Product

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_admin_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
    setup_s = time.perf_counter() - t0
    path = Path(args.file)
    if not path.exists():
        generate(path, args.rows)

    def timed(*extra):
        start = time.perf_counter()
        out = io.StringIO()
        try:
            call_command("import_ocop_products", str(path), *extra, stdout=out)
        except CommandError:
            sys.stderr.write("\n".join(out.getvalue().splitlines()[:30]) + "\n")
            raise
        return round(time.perf_counter() - start, 2)

    first = timed()
    created = {
        "producers": Producer.objects.count(),
        "products": Product.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    again = timed()
    after = {
        "producers": Producer.objects.count(),
        "products": Product.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    dry = timed("--dry-run")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rows": args.rows,
                "setup_seconds": round(setup_s, 1),
                "import_seconds": first,
                "reimport_seconds": again,
                "dry_run_seconds": dry,
                "created": created,
                "idempotent": after == created,
            }
        )
    )


# ------------------------------------------------------------------------------------------------
# Orchestrator


def _run_worker(database_url, rows, file):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    cmd = [sys.executable, __file__, "--worker", "--rows", str(rows), "--file", str(file)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmark worker failed on {database_url}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _recreate_pg(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    file = DATA / f"import_{args.rows}.xlsx"
    file.unlink(missing_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="ocop-bench-import-") as tmp:
        results.append(_run_worker(f"sqlite:///{tmp}/bench.sqlite3", args.rows, file))
    if not args.skip_postgres:
        _recreate_pg(args.pg_url)
        results.append(_run_worker(args.pg_url, args.rows, file))
    report = {
        "benchmark": "import_ocop_products",
        "target_seconds": 60,
        "file_bytes": file.stat().st_size,
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import_bench.json").write_text(json.dumps(report, indent=2) + "\n")
    for r in results:
        verdict = "OK" if r["import_seconds"] < 60 and r["idempotent"] else "FAIL"
        print(
            f"{r['database']:>10}: {r['rows']} rows imported in {r['import_seconds']} s "
            f"({r['created']['producers']} producers, {r['created']['products']} products, "
            f"{r['created']['certificates']} certificates); again in {r['reimport_seconds']} s "
            f"(idempotent: {r['idempotent']}); dry run {r['dry_run_seconds']} s  [{verdict}]"
        )
    return None


if __name__ == "__main__":
    main()
