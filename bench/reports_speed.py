"""Speed of the stats endpoint and the province report on national-scale data (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/speed_bench_reports REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python bench/reports_speed.py [--generate | --generate-only] [--fresh-worker-only]

--generate: migrate, load the maps and build the national data set (bench/generate_national.py
defaults: 8,500 producers, 16,000 certified products, 4 years of history) first; --generate-only: that,
and measure nothing. --fresh-worker-only: only the fresh-worker measure under gunicorn.
Targets (issue #5): stats for a province < 100 ms, whole country < 300 ms; the report for a province
< 2 s as XLSX and < 5 s as PDF; the country < 300 ms on the first call of a fresh worker and < 100 ms
after (issue #16). In-process: the figures computed (`kpis.compute`, no cache) and the API's answer
(through `statscache`: with REDIS_URL, the shared cache). Under gunicorn, started with
deploy/gunicorn.conf.py as deployed but with one worker: the first call after the server starts and
after its worker is replaced (SIGTERM to the worker; the master forks a new one), for today (computed
by the master before forking) and for a date nobody asked before. Writes bench/results/reports_speed.json."""

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

AS_OF = "2025-12-31"
PROVINCE = "86"  # Vĩnh Long (old Bến Tre + Trà Vinh + Vĩnh Long)


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1), "runs": runs}


def main():
    if "--fresh-worker-only" in sys.argv:
        out = ROOT / "bench" / "results" / "reports_speed_fresh_worker.json"
        out.write_text(json.dumps(fresh_worker(), indent=2))
        print(out.read_text())
        return
    if "--generate" in sys.argv or "--generate-only" in sys.argv:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True)
        subprocess.run([*manage, "load_admin_units"], check=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_national.py"), "--wipe"], check=True)
        if "--generate-only" in sys.argv:
            return
    from ocop.certificates.models import Certificate
    from ocop.registry.models import Producer, Product
    from ocop.reports.render import to_pdf, to_xlsx
    from ocop.reports.report import build_report
    from ocop.reports.scope import parse_as_of, resolve

    client = Client()
    trivial = timed(lambda: client.get("/bench/trivial"), 30)

    def stats(province=""):
        response = client.get("/api/v1/stats", {"province": province, "as_of": AS_OF})
        assert response.status_code == 200, response.content
        return response.json()

    from ocop.reports import kpis
    from ocop.reports.scope import Scope

    country = stats()
    computed = timed(lambda: kpis.compute(Scope(parse_as_of(AS_OF))), 5)
    province = stats(PROVINCE)
    day = parse_as_of(AS_OF)
    translation.activate("vi")
    results = {
        "database": django.db.connection.vendor,
        "data": {
            "producers": Producer.objects.count(),
            "products": Product.objects.count(),
            "certificates": Certificate.objects.count(),
            "certified_on_as_of": country["products"],
            "province_products": province["products"],
        },
        "trivial": trivial,
        "stats_province": timed(lambda: stats(PROVINCE), 20),
        "stats_country_computed": computed,
        "stats_country": timed(stats, 10),
        "cache": settings.CACHES["default"]["BACKEND"],
        "report_xlsx_province": timed(lambda: to_xlsx(build_report(resolve(day, province=PROVINCE))), 3),
        "report_pdf_province": timed(lambda: to_pdf(build_report(resolve(day, province=PROVINCE))), 2),
    }
    targets = {
        "stats_province": 100,
        "stats_country": 300,
        "report_xlsx_province": 2000,
        "report_pdf_province": 5000,
    }
    if os.environ.get("REDIS_URL") and "--no-gunicorn" not in sys.argv:
        results["fresh_worker"] = fresh_worker()
    for key, limit in targets.items():
        results[key]["target_ms"] = limit
        results[key]["ok"] = results[key]["median_ms"] < limit
    out = ROOT / "bench" / "results" / "reports_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


PORT = 8185


def _get(path):
    """One GET on a new connection, timed from the client. With http.client, not urllib.request: the
    first urlopen() of a process builds urllib's default opener, whose HTTPS handler loads the system's
    CA certificates (30 ms on the quiet machine, 85-300 ms under load), and that was timed as the first
    call of the server's first worker."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200
        response.read()
    finally:
        conn.close()
    return round((time.perf_counter() - started) * 1000, 1)


def _wait_for_port():
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _worker_pids(master):
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def fresh_worker(replacements=3):
    """First calls of /api/v1/stats (whole country) in a fresh worker under gunicorn, as deployed."""
    env = dict(
        os.environ,
        OCOP_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        STAMP_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "speed_bench_reports_static"),
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # nothing computed before the server starts
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "ocop.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    other_day = "/api/v1/stats?as_of=2025-12-30"
    try:
        _wait_for_port()
        for _ in range(600):  # the port is open while the master still warms up: wait for a worker
            if _worker_pids(server.pid):
                break
            time.sleep(0.1)
        time.sleep(1)
        result = {"server_ready_s": round(time.perf_counter() - started, 1), "first_calls": []}
        for i in range(replacements + 1):
            if i:
                (pid,) = _worker_pids(server.pid)
                os.kill(pid, signal.SIGTERM)  # the master forks a fresh worker
                for _ in range(100):
                    time.sleep(0.1)
                    pids = _worker_pids(server.pid)
                    if pids and pids != [pid]:
                        break
                time.sleep(0.5)
            call = {"today": _get("/api/v1/stats")}
            call["another_date"] = _get(other_day)  # computed once (first worker), then shared
            result["first_calls"].append(call)
        after = [_get("/api/v1/stats") for _ in range(20)]
        result["after_median_ms"] = round(statistics.median(after), 1)
        result["after_max_ms"] = max(after)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        server.terminate()
        server.wait(30)
    return result


if __name__ == "__main__":
    main()
