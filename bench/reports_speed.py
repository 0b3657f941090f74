"""Speed of the stats endpoint and the province report on national-scale data (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_reports .venv/bin/python bench/reports_speed.py [--generate]

--generate: migrate, load the maps and build the national data set (bench/generate_national.py
defaults: 8,500 producers, 16,000 certified products, 4 years of history) first.
Targets (issue #5): stats for a province < 100 ms, whole country < 300 ms; the report for a province
< 2 s as XLSX and < 5 s as PDF. Writes bench/results/reports_speed.json."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django  # noqa: E402

django.setup()

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
    if "--generate" in sys.argv:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True)
        subprocess.run([*manage, "load_admin_units"], check=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_national.py"), "--wipe"], check=True)
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

    country = stats()
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
        "stats_country": timed(stats, 10),
        "report_xlsx_province": timed(lambda: to_xlsx(build_report(resolve(day, province=PROVINCE))), 3),
        "report_pdf_province": timed(lambda: to_pdf(build_report(resolve(day, province=PROVINCE))), 2),
    }
    targets = {
        "stats_province": 100,
        "stats_country": 300,
        "report_xlsx_province": 2000,
        "report_pdf_province": 5000,
    }
    for key, limit in targets.items():
        results[key]["target_ms"] = limit
        results[key]["ok"] = results[key]["median_ms"] < limit
    out = ROOT / "bench" / "results" / "reports_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
