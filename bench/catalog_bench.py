"""Catalogue benchmarks at national scale: 20,000 certified products of 8,500 producers made by
bench/generate_national.py (its product names, so a query matches about a tenth of them and the result
pages are full pages of 24 cards; the number of cards per page is recorded).

1. Search with two filters: p95 server-side time of GET /products/?q=...&star=4&kind=cooperative
   (targets: < 20 ms on PostgreSQL, < 50 ms on SQLite), in-process through Django's test client
   (the whole middleware stack and template rendering; no network), with DEBUG on (as the earlier
   figures) and off (as production serves it), plus the same search's two read-model queries alone.
2. Product page: queries when uncached (target ≤ 12) and requests/s under gunicorn + wrk against
   /bench/trivial in the same run (target ≥ 50 %), with production settings (OCOP_ENV=production,
   DEBUG off) and the shared Redis cache (REDIS_URL, database 11), so a cached hit is one cache read,
   answered by the fast path in front of Django (ocop/core/fastpath.py); then again with FASTPATH=off
   (every request through Django's middleware stack) for comparison.

The search is measured with the cache the settings give (Redis with REDIS_URL, as deployed; else
local memory), the card cache warm (the first 20 requests dropped) and, separately, emptied before
every request. The server for the product page is started with deploy/gunicorn.conf.py, as deployed.

The data are bulk-created (no model signals), then the catalogue's read model is rebuilt once
(`rebuild_catalog`, as `manage.py refresh_catalog` does); its duration is reported. The machine's
load average is recorded at the start and end of each measure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/speed_bench_catalog REDIS_URL=redis://127.0.0.1:6379/11 \
        .venv/bin/python bench/catalog_bench.py
    DATABASE_URL=sqlite:////tmp/speed_bench_catalog.sqlite3 .venv/bin/python bench/catalog_bench.py --no-wrk

--build-only builds the data (if the database has fewer than 20,000 products) and the read model, and stops.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/speed_bench_catalog.sqlite3")
REDIS_URL = "redis://127.0.0.1:6379/11"

import django  # noqa: E402
from http_wait import wait_until_up  # noqa: E402  (bench/, the script's folder, is on sys.path)

# Queries as visitors type them (no diacritics), on the product names bench/generate_national.py makes
# ("Kẹo dừa BENCH 000123", ...): each matches about a tenth of the products, so with the two filters
# every page of results is a full page of 24 cards.
QUERIES = ["keo dua", "dua keo", "nuoc mam", "mat ong", "banh trang", "ca phe", "tra", "ruou"]


def ensure_database():
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')


def build(n_products=20000, n_producers=8500):
    """The national data set of bench/generate_national.py (its names, communes of every province,
    certificate histories), at 20,000 certified products."""
    from django.core.management import call_command

    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Product

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.exists():
        call_command("load_admin_units", verbosity=0)
    if Product.objects.count() >= n_products:
        return None
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_national import generate

    generate(producers=n_producers, products=n_products, as_of=datetime.date.today())
    return analyze()


def analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def p95(values):
    return statistics.quantiles(values, n=20)[18]


def load():
    return [round(x, 2) for x in os.getloadavg()]


def rebuild():
    from ocop.catalog.readmodel import rebuild_catalog, vacuum

    t = time.time()
    rows = rebuild_catalog()
    vacuum()
    return {"rows": rows, "seconds": round(time.time() - t, 1)}


def bench_queries(rounds=200):
    """The search's own SQL (count + page of 24 rows with products joined), without HTTP or templates."""
    from ocop.catalog.search import PAGE_SIZE, Filters, search, with_products
    from ocop.core.dates import today

    queries = QUERIES
    day, times = today(), []
    for i in range(rounds):
        f = Filters(q=queries[i % len(queries)], star="4", kind="cooperative")
        t = time.perf_counter()
        qs = search(f, day)
        qs.count()
        list(with_products(qs)[:PAGE_SIZE])
        times.append((time.perf_counter() - t) * 1000)
    return {"p95_ms": round(p95(times[20:]), 2), "median_ms": round(statistics.median(times[20:]), 2)}


def bench_search(rounds=200):
    """p95 of the search with two filters as an htmx fragment and as the full page (the first rounds
    dropped: they fill the card cache), and how many cards the pages held."""
    from django.test import Client

    client = Client()
    times, full, full_cpu, cards = [], [], [], []
    for i in range(rounds):
        q = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        r = client.get(f"/products/?q={q}&star=4&kind=cooperative", headers={"HX-Request": "true"})
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    for i in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(f"/products/?q={QUERIES[i % len(QUERIES)]}&star=4&kind=cooperative")
        full.append((time.perf_counter() - t) * 1000)
        full_cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200
        cards.append(r.content.count(b'<article class="pcard">'))
    return {
        # CPU time of this process alone (Django, template, cache client; not the database server's):
        # what the page costs whatever else the machine is doing.
        "full_page_cpu_p95_ms": round(p95(full_cpu[20:]), 2),
        "full_page_cpu_median_ms": round(statistics.median(full_cpu[20:]), 2),
        "htmx_p95_ms": round(p95(times[20:]), 2),
        "htmx_median_ms": round(statistics.median(times[20:]), 2),
        "full_page_p95_ms": round(p95(full[20:]), 2),
        "full_page_median_ms": round(statistics.median(full[20:]), 2),
        "cards_per_page": {"min": min(cards), "max": max(cards)},
    }


def bench_search_uncached_cards(rounds=100):
    """The full page with the card cache emptied before each request (every card rendered): what a
    page costs the first time its products are shown."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    full, full_cpu = [], []
    for i in range(rounds):
        cache.clear()
        t, c = time.perf_counter(), time.process_time()
        client.get(f"/products/?q={QUERIES[i % len(QUERIES)]}&star=4&kind=cooperative")
        full.append((time.perf_counter() - t) * 1000)
        full_cpu.append((time.process_time() - c) * 1000)
    return {
        "full_page_cpu_p95_ms": round(p95(full_cpu[10:]), 2),
        "full_page_cpu_median_ms": round(statistics.median(full_cpu[10:]), 2),
        "full_page_p95_ms": round(p95(full[10:]), 2),
        "full_page_median_ms": round(statistics.median(full[10:]), 2),
    }


def product_queries():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ocop.catalog.slugs import slug_for
    from ocop.registry.models import Product

    p = Product.objects.order_by("pk")[500]
    url = f"/products/{p.pk}/{slug_for(p.name)}/"
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(url + "?nocache=1").status_code == 200
    return url, len(ctx.captured_queries)


def wrk(url, seconds=10, connections=16):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True
    ).stdout
    if "Non-2xx or 3xx responses" in out:  # an error page is not a measure of the page
        raise RuntimeError(out)
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


def bench_wrk(path, rounds=4, seconds=5, fastpath=True):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # database 5 is this benchmark's
    env = dict(
        os.environ,
        OCOP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(40),
        STAMP_KEY=secrets.token_urlsafe(32),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="60",
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "ocop_bench_catalog_static"),  # hashed names
        DJANGO_SETTINGS_MODULE="ocop.settings",
        FASTPATH="on" if fastpath else "off",
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = "8182"
    # The server exactly as docs/deploy.md runs it (deploy/gunicorn.conf.py: 2 sync workers per core).
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "ocop.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/bench/trivial")
        wrk(base + path, 3)  # warm the cache
        before = load()
        # Interleaved rounds, so that a change in the machine's load from other work hits both alike.
        trivial, product = [], []
        for _ in range(rounds):
            trivial.append(wrk(base + "/bench/trivial", seconds))
            product.append(wrk(base + path, seconds))
        after = load()
    finally:
        server.terminate()
        server.wait(60)
    return {
        "fastpath": fastpath,
        "server": "gunicorn -c deploy/gunicorn.conf.py (sync, 2 workers per core)",
        "rounds": [{"trivial_rps": t, "product_rps": p} for t, p in zip(trivial, product, strict=True)],
        "trivial_rps": round(statistics.mean(trivial), 1),
        "product_rps": round(statistics.mean(product), 1),
        "ratio": round(sum(product) / sum(trivial), 3),
        "load_before": before,
        "load_after": after,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--no-rebuild", action="store_true", help="keep the read model as it is")
    parser.add_argument(
        "--build-only", action="store_true", help="build the data and the read model, measure nothing"
    )
    args = parser.parse_args()
    ensure_database()
    django.setup()
    from django.db import connection

    t = time.time()
    build()
    built = round(time.time() - t, 1)
    result = {"database": connection.vendor, "build_s": built, "load_start": load()}
    from ocop.registry.models import Producer, Product

    result["products"], result["producers"] = Product.objects.count(), Producer.objects.count()
    result["read_model_rebuild"] = None if args.no_rebuild else rebuild()
    if args.build_only:
        print(json.dumps(result, indent=2))
        return
    result["search_sql"] = bench_queries()
    from django.test.utils import override_settings

    result["search"] = bench_search()  # DEBUG as configured (on by default outside production)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):  # as served in production
        result["search_debug_off"] = bench_search()
        result["search_debug_off"]["load_after"] = load()
        result["search_debug_off_cards_uncached"] = bench_search_uncached_cards()
    result["search"]["load_after"] = load()
    result["search"]["debug"] = True
    url, queries = product_queries()
    result["product_page_queries_uncached"] = queries
    out = ROOT / "bench" / "results" / f"catalog_{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2))  # what is measured so far
    if not args.no_wrk and shutil.which("wrk"):
        result["wrk"] = bench_wrk(url)
        out.write_text(json.dumps(result, indent=2))
        # The same with every request left to Django (FASTPATH=off), for comparison.
        result["wrk_django_only"] = bench_wrk(url, fastpath=False)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
