"""Verify page under load: /v/<serial> (with its scan write) against /bench/trivial in the same wrk run.

PostgreSQL database `ocop_bench_cert` (created and filled here with generate_series): 100,000
certificates, 10,000 batches, a scan log of --scans rows (target 10,000,000; the default is smaller so
the run fits in a few minutes on 2 cores). gunicorn with production settings (OCOP_ENV=production,
DEBUG=false), wrk on 127.0.0.1 with 32 connections. Targets: verify ≥ 80 % of trivial's requests/s,
p99 < 50 ms.

    .venv/bin/python bench/verify_load.py [--scans 2000000] [--seconds 15] [--workers 3] [--reuse]
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "ocop_bench_verify"
PG = "postgres://postgres@127.0.0.1:5432"
PORT = 8096
ENV = {
    "OCOP_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
    "STAMP_KEY": "bench-only-stamp-key-0123456789",
    "STAMP_KEY_ID": "1",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"{PG}/{DB}",
    "CONN_MAX_AGE": "600",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "ocop_bench_cert_static"),
    "SECURE_HSTS_SECONDS": "0",
    # The token bucket runs on every request but never refuses the benchmark's single client.
    "VERIFY_RATE_PER_MINUTE": "1000000000",
    "VERIFY_BURST": "1000000000",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "verify_settings"
os.environ["PYTHONPATH"] = f"{ROOT}:{ROOT / 'bench'}"


def manage(*args):
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", *args], cwd=ROOT, check=True, env=os.environ)


def psql(sql, params=None, db=DB):
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


def build(scans):
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    manage("migrate", "--noinput", "-v0")
    manage("load_admin_units")
    started = time.perf_counter()
    psql(
        """
        WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total
                   FROM geo_adminunit WHERE level = 'commune' AND map = 'legacy')
        INSERT INTO registry_producer (created_at, updated_at, name, kind, representative, phone, email, website,
            address, commune_id, legacy_commune_id, women_led, ethnic_minority_led, description, status,
            phone_public, name_folded)
        SELECT now(), now(), 'Hợp tác xã ' || g, 'cooperative', '', '', '', '', 'Ấp 1', c.id, c.id, false, false,
               '', 'active', false, 'hop tac xa ' || g
        FROM generate_series(1, 10000) g JOIN c ON c.n = g % c.total;
        INSERT INTO registry_product (created_at, updated_at, producer_id, name, product_set, description, story,
            ingredients, packaging, shelf_life, gtin, status, code, name_folded)
        SELECT now(), now(), p.id, 'Sản phẩm ' || g, 7, '', '', '', 'Hộp 500 g', '', '', 'active', '', 'san pham ' || g
        FROM generate_series(1, 100000) g JOIN registry_producer p ON p.id = (SELECT min(id) FROM registry_producer) + g % 10000;
        INSERT INTO certificates_certificate (created_at, updated_at, number, product_id, star, potential_5_star, kind,
            source, criteria_set, decision_number, decision_date, issuer_name, issued_on, expires_on,
            revocation_ground, revocation_note, revocation_decision, suspension_reason, revoked_on)
        SELECT now(), now(), '86-' || lpad(p.id::text, 6, '0') || '-2025', p.id, 3 + (p.id % 2), false, 'new',
            'import', 'QD148-2023', '1/QĐ-UBND', date '2025-01-01' + (p.id % 600)::int, 'UBND tỉnh Vĩnh Long',
            date '2025-01-01' + (p.id % 600)::int, date '2028-01-01' + (p.id % 600)::int, '', '', '', '',
            CASE WHEN p.id % 50 = 0 THEN date '2026-06-01' END
        FROM registry_product p;
        INSERT INTO stamps_stampbatch (created_at, updated_at, product_id, certificate_id, quantity, key_id, state,
            lot_number, origin, decision_note, block_reason)
        SELECT now(), now(), c.product_id, c.id, 100000, 1, 'approved', 'L' || c.id, '', '', ''
        FROM certificates_certificate c ORDER BY c.id LIMIT 10000;
        """
    )
    # The scan log is filled without its indexes, which are then built once (much faster than
    # maintaining three b-trees row by row).
    indexes = [
        row[0]
        for row in psql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'stamps_scan' AND indexname NOT LIKE '%%pkey'"
        )
    ]
    for (name,) in psql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'stamps_scan' AND indexname NOT LIKE '%%pkey'"
    ):
        psql(f'DROP INDEX "{name}"')
    psql(
        """
        INSERT INTO stamps_scan (serial, batch_id, scanned_at, verdict, region, device)
        SELECT upper(substr(md5(g::text), 1, 19)), 1 + g %% 10000,
               now() - (g %% 15552000) * interval '1 second', 'valid', '', 'mobile'
        FROM generate_series(1, %s) g;
        """,
        [int(scans)],
    )
    for definition in indexes:
        psql(f"SET maintenance_work_mem = '256MB'; {definition}")
    psql("VACUUM ANALYZE")
    return round(time.perf_counter() - started, 1)


def wrk(url, seconds, connections, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": round(float(p99.group(1)) * factor, 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reuse", action="store_true", help="keep the existing database")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    args = parser.parse_args()

    build_seconds = None if args.reuse else build(args.scans)
    if args.build_only:
        print(json.dumps({"build_seconds": build_seconds}))
        return
    manage("collectstatic", "--noinput", "-v0")
    import django

    django.setup()
    from ocop.stamps.serials import make_serial

    counts = dict(
        psql(
            "SELECT 'certificates', count(*) FROM certificates_certificate UNION ALL "
            "SELECT 'batches', count(*) FROM stamps_stampbatch UNION ALL "
            "SELECT 'scans', count(*) FROM stamps_scan"
        )
    )
    batch_ids = [row[0] for row in psql("SELECT id FROM stamps_stampbatch")]
    rng = random.Random(6)
    paths = Path(tempfile.gettempdir()) / "ocop_bench_cert_paths.txt"
    paths.write_text(
        "".join(f"/v/{make_serial(rng.choice(batch_ids), rng.randrange(100000), 1)}\n" for _ in range(20000))
    )
    script = Path(tempfile.gettempdir()) / "ocop_bench_cert.lua"
    script.write_text(
        f'local paths = {{}}\nfor line in io.lines("{paths}") do paths[#paths + 1] = line end\n'
        "local i = math.random(#paths)\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ocop.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        time.sleep(3)
        wrk(base + "/bench/trivial", 3, args.connections)
        wrk(base, 3, args.connections, str(script))  # warm connections and caches
        before = psql("SELECT count(*) FROM stamps_scan")[0][0]
        trivial = wrk(base + "/bench/trivial", args.seconds, args.connections)
        verify = wrk(base, args.seconds, args.connections, str(script))
        written = psql("SELECT count(*) FROM stamps_scan")[0][0] - before
    finally:
        server.terminate()
        server.wait(10)
    result = {
        "data": counts,
        "build_seconds": build_seconds,
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "trivial": trivial,
        "verify": verify,
        "scans_written_during_verify_run": written,
        "ratio": round(verify["rps"] / trivial["rps"], 3),
        "targets": {"ratio": 0.8, "p99_ms": 50},
    }
    (ROOT / "bench/results/verify_load.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
