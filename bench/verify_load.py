"""Verify page under load: /v/<serial> (with its scan write) against /bench/trivial in the same wrk run.

PostgreSQL database `ocop_bench_verify` (created and filled here with generate_series, the scan log's
indexes built after the rows): 100,000 certificates, 10,000 batches, a scan log of --scans rows
(default 10,000,000). gunicorn (deploy/gunicorn.conf.py, as deployed: sync workers, 2 per core) with production
settings (OCOP_ENV=production, DEBUG=false, REDIS_URL, CONN_MAX_AGE=60), wrk on 127.0.0.1 with 32
connections: /bench/trivial and /v/<serial> (20,000 serials spread over all batches, a new draw each run)
in interleaved rounds (--rounds, default 2, of --seconds/rounds each). Then the server is stopped
gracefully and every verify response must have its scan row. Targets: verify ≥ 80 %
of trivial's requests/s, p99 < 50 ms, no scan missing.

    .venv/bin/python bench/verify_load.py [--scans 10000000] [--seconds 20] [--rounds 2] [--workers 4] [--reuse]
        [--keep-cache] [--no-fastpath] [--seed N]
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
DB = "speed_bench_verify"
PG = "postgres://postgres@127.0.0.1:5432"
PORT = 8181
ENV = {
    "OCOP_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
    "STAMP_KEY": "bench-only-stamp-key-0123456789",
    "STAMP_KEY_ID": "1",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"{PG}/{DB}",
    "CONN_MAX_AGE": "60",
    "REDIS_URL": "redis://127.0.0.1:6379/10",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "ocop_bench_cert_static"),
    "SECURE_HSTS_SECONDS": "0",
    # The token bucket runs on every request but never refuses the benchmark's single client.
    "VERIFY_RATE_PER_MINUTE": "1000000000",
    "VERIFY_BURST": "1000000000",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "ocop.settings"
os.environ["PYTHONPATH"] = f"{ROOT}:{ROOT / 'bench'}"

from http_wait import wait_until_up  # noqa: E402
from procstat import cpu_seconds  # noqa: E402


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
            revocation_ground, revocation_note, revocation_decision, suspension_reason, revoked_on,
            revocation_authority)
        SELECT now(), now(), '86-' || lpad(p.id::text, 6, '0') || '-2025', p.id, 3 + (p.id % 2), false, 'new',
            'import', 'QD148-2023', '1/QĐ-UBND', date '2025-01-01' + (p.id % 600)::int, 'UBND tỉnh Vĩnh Long',
            date '2025-01-01' + (p.id % 600)::int, date '2028-01-01' + (p.id % 600)::int, '', '', '', '',
            CASE WHEN p.id % 50 = 0 THEN date '2026-06-01' END, ''
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
    scan_rows = fill_scan_log(scans)
    for definition in indexes:
        psql(f"SET maintenance_work_mem = '256MB'; {definition}")
    psql("VACUUM ANALYZE")
    return {"seconds": round(time.perf_counter() - started, 1), "scan_rows": scan_rows}


SERIALS_PER_BATCH = 200  # indexes 0..199 of every batch have been scanned before the run


def fill_scan_log(scans):
    """A scan log of real serials: SERIALS_PER_BATCH serials of every batch (made with the stamp key,
    so they verify), each scanned 1 to 9 times (5 on average) at times spread over the last 180 days,
    until about `scans` rows. The serials are computed here (HMAC) and sent with COPY; the rows are
    multiplied in SQL (generate_series), not in Python."""
    import django

    django.setup()
    import psycopg

    from ocop.stamps.serials import serial_range

    batch_ids = [row[0] for row in psql("SELECT id FROM stamps_stampbatch ORDER BY id")]
    per_batch = max(1, min(SERIALS_PER_BATCH, round(scans / 5 / len(batch_ids))))
    with psycopg.connect(f"{PG}/{DB}", autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_serial")
        conn.execute("CREATE UNLOGGED TABLE bench_serial (n serial, serial varchar(19), batch_id int)")
        with conn.cursor().copy("COPY bench_serial (serial, batch_id) FROM STDIN") as copy:
            for batch_id in batch_ids:
                for serial in serial_range(batch_id, 0, per_batch, 1):
                    copy.write_row((serial, batch_id))
        # 1 + n % 9 scans for serial n: 5 on average; times pseudo-random over 180 days.
        conn.execute(
            """
            INSERT INTO stamps_scan (serial, batch_id, scanned_at, verdict, region, device, counted)
            SELECT s.serial, s.batch_id,
                   now() - interval '1 hour' - ((s.n::bigint * 7919 + g * 104729) % 15552000) * interval '1 second',
                   'valid', '', CASE WHEN g % 4 = 0 THEN 'desktop' ELSE 'mobile' END, true
            FROM bench_serial s, generate_series(1, 1 + s.n % 9) g
            """
        )
        conn.execute("DROP TABLE bench_serial")
        # 1 + n % 9 averages a little under 5: top the log up to `scans` rows with one more scan of the
        # first serials (so the log has at least the rows asked for).
        deficit = scans - conn.execute("SELECT count(*) FROM stamps_scan").fetchone()[0]
        if deficit > 0:
            conn.execute(
                """
                INSERT INTO stamps_scan (serial, batch_id, scanned_at, verdict, region, device, counted)
                SELECT serial, batch_id, scanned_at + interval '1 minute', verdict, region, device, counted
                FROM stamps_scan ORDER BY id LIMIT %s
                """,
                [deficit],
            )
    return psql("SELECT count(*) FROM stamps_scan")[0][0]


def wrk(url, seconds, connections, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        found = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        return round(float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": [int(x) for x in socket.groups()] if socket else [0, 0, 0, 0],
    }


def server_pids(master):
    """The gunicorn workers (children of the master) and this database's PostgreSQL backends."""
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    backends = psql("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB])
    return [int(x) for x in out.split()] + [row[0] for row in backends]


def measured_wrk(master, url, seconds, connections, script=None):
    """wrk, plus the server's CPU per answered request (workers and database backends): what a request
    costs whatever else the machine is doing (wall-clock rates move with the other engineers' load).
    A process that ended during the round is left out (its last CPU time is unknown); one that started
    during it counts in full."""
    before = cpu_seconds(server_pids(master))
    result = wrk(url, seconds, connections, script)
    after = cpu_seconds(server_pids(master))
    used = sum(cpu - before.get(pid, 0) for pid, cpu in after.items())
    result["server_cpu_us_per_request"] = round(used * 1e6 / max(1, result["requests"]), 1)
    return result


def _combined(runs):
    """Rounds of equal length: mean rate, summed requests, the worst p99."""
    return {
        "rps": round(sum(r["rps"] for r in runs) / len(runs), 2),
        "requests": sum(r["requests"] for r in runs),
        "p50_ms": round(sum(r["p50_ms"] for r in runs) / len(runs), 2),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "socket_errors": [sum(x) for x in zip(*(r["socket_errors"] for r in runs), strict=True)],
        "server_cpu_us_per_request": round(
            sum(r["server_cpu_us_per_request"] * r["requests"] for r in runs)
            / max(1, sum(r["requests"] for r in runs)),
            1,
        ),
    }


def lua_script(name, paths):
    listing = Path(tempfile.gettempdir()) / f"ocop_bench_verify_{name}.txt"
    listing.write_text("".join(f"{p}\n" for p in paths))
    script = Path(tempfile.gettempdir()) / f"ocop_bench_verify_{name}.lua"
    script.write_text(
        f'local paths = {{}}\nfor line in io.lines("{listing}") do paths[#paths + 1] = line end\n'
        "local i = math.random(#paths)\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return str(script)


def warm_up(base, paths):
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    def get(path):
        with urlopen(base + path, timeout=30) as response:
            return response.status

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(get, paths))
    return {
        "requests": len(statuses),
        "ok": statuses.count(200),
        "seconds": round(time.perf_counter() - started, 1),
    }


def scan_count():
    return psql("SELECT count(*) FROM stamps_scan")[0][0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=int, default=20, help="per endpoint, over all rounds")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved trivial/verify rounds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reuse", action="store_true", help="keep the existing database")
    parser.add_argument(
        "--keep-cache",
        action="store_true",
        help="keep Redis as the last run left it (index loaded, pages warm)",
    )
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--seed", type=int, help="draw of serials (default: a new one per run)")
    parser.add_argument(
        "--no-fastpath", action="store_true", help="FASTPATH=off: every request through Django's stack"
    )
    args = parser.parse_args()

    os.environ["FASTPATH"] = "off" if args.no_fastpath else "on"
    build_seconds = None if args.reuse else build(args.scans)
    if args.build_only:
        print(json.dumps({"build_seconds": build_seconds}))
        return
    manage("collectstatic", "--noinput", "-v0")
    import django
    import redis

    django.setup()
    from ocop.stamps.serials import make_serial

    counts = dict(
        psql(
            "SELECT 'certificates', count(*) FROM certificates_certificate UNION ALL "
            "SELECT 'batches', count(*) FROM stamps_stampbatch UNION ALL "
            "SELECT 'scans', count(*) FROM stamps_scan"
        )
    )
    # A fresh shared cache, then the scan index loaded from the scan log (what a running server has).
    index_seconds = None
    if not args.keep_cache:
        redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
        started = time.perf_counter()
        manage("load_scan_index")
        index_seconds = round(time.perf_counter() - started, 1)
    batch_ids = [row[0] for row in psql("SELECT id FROM stamps_stampbatch")]
    # A new draw of serials per run: with --reuse, a fixed draw would rescan the same serials run after
    # run until they pass STAMP_SCAN_LIMIT (each scan then also updates a counterfeit signal).
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    # Warm-up: one serial of every batch (renders and caches each batch's page, as a server that has
    # been up a while has them).
    warm = [f"/v/{make_serial(pk, 100000 - 1 - rng.randrange(1000), 1)}" for pk in batch_ids]
    # Serials of the scan log (scanned 1-9 times before), drawn without repeats: 4,000 for the measured
    # "verify" mix and 40,000 for "verify_cold".
    logged = set()
    while len(logged) < 44000:
        logged.add((rng.choice(batch_ids), rng.randrange(SERIALS_PER_BATCH)))
    logged = [f"/v/{make_serial(b, i, 1)}" for b, i in sorted(logged)]
    rng.shuffle(logged)
    seen_since, cold = logged[:4000], logged[4000:]
    # "verify": 8,000 serials, half never scanned, half from the log that have been scanned once since
    # the server started (in the warm-up), so their counts are in Redis as on a running server.
    fresh = [
        f"/v/{make_serial(rng.choice(batch_ids), SERIALS_PER_BATCH + rng.randrange(90000), 1)}"
        for _ in range(4000)
    ]
    mixed = [path for pair in zip(fresh, seen_since, strict=True) for path in pair]
    measured = lua_script("paths", mixed)
    # "verify_cold": serials of the log not scanned since the server started: Redis knows them as scanned
    # (the scan index) but not their count, which is read from the database (the (serial, scanned_at)
    # index of the 10 M-row log) through Django: the worst case, after Redis lost its counts.
    measured_cold = lua_script("cold", cold)
    warm += seen_since
    # The server exactly as docs/deploy.md runs it: deploy/gunicorn.conf.py, bind and workers by its
    # environment variables.
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "ocop.wsgi"],
        cwd=ROOT,
        env={**os.environ, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": str(args.workers)},
        stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / "ocop_bench_verify_gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_until_up(base + "/bench/trivial")
        wrk(base + "/bench/trivial", 3, args.connections)
        warmup = warm_up(base, seen_since if args.keep_cache else warm)
        time.sleep(1)
        load_before = os.getloadavg()
        before = scan_count()
        # Interleaved rounds, so that a change in the machine's load from other work hits both alike.
        share = max(1, args.seconds // args.rounds)
        rounds = []
        for _ in range(args.rounds):
            rounds.append(
                {
                    "trivial": measured_wrk(server.pid, base + "/bench/trivial", share, args.connections),
                    "verify": measured_wrk(server.pid, base, share, args.connections, measured),
                    "verify_cold": measured_wrk(server.pid, base, share, args.connections, measured_cold),
                }
            )
        trivial, verify, verify_cold = (
            _combined([r[name] for r in rounds]) for name in ("trivial", "verify", "verify_cold")
        )
        load_after = os.getloadavg()
    finally:
        server.terminate()  # graceful: each worker flushes its buffer in worker_exit
        server.wait(60)
    written = scan_count() - before
    result = {
        "data": counts,
        "build_seconds": build_seconds,
        "scan_index_seconds": index_seconds,
        "seed": seed,
        "fastpath": not args.no_fastpath,
        "server": "gunicorn -c deploy/gunicorn.conf.py ocop.wsgi",
        "measured_serials": (
            "verify: 8,000 serials, half never scanned, half from the scan log (1-9 earlier scans) scanned "
            "once more in the warm-up; verify_cold: 40,000 other serials of the log, count read from the database"
        ),
        "workers": args.workers,
        "worker_class": "sync",
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds_count": args.rounds,
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "warmup": warmup,
        "rounds": rounds,
        "trivial": trivial,
        "verify": verify,
        "verify_cold": verify_cold,
        "ratio": round(verify["rps"] / trivial["rps"], 3),
        "ratio_cold": round(verify_cold["rps"] / trivial["rps"], 3),
        # The same ratios from the server's CPU per request (trivial's cost over verify's): the share of
        # the trivial view's rate that verify reaches when the CPU is the server's alone.
        "cpu_ratio": round(trivial["server_cpu_us_per_request"] / verify["server_cpu_us_per_request"], 3),
        "cpu_ratio_cold": round(
            trivial["server_cpu_us_per_request"] / verify_cold["server_cpu_us_per_request"], 3
        ),
        # wrk counts the responses it read; requests still in flight when it stopped (at most one per
        # connection) may have been served and logged too.
        "scans": {
            "verify_responses": verify["requests"] + verify_cold["requests"],
            "rows_written": written,
            "missing": max(0, verify["requests"] + verify_cold["requests"] - written),
            "in_flight_extra": written - verify["requests"] - verify_cold["requests"],
        },
        "targets": {"ratio": 0.8, "p99_ms": 50, "missing": 0},
    }
    name = "verify_load_no_fastpath.json" if args.no_fastpath else "verify_load.json"
    (ROOT / "bench/results" / name).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
