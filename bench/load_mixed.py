"""Mixed load test with a loss check, against gunicorn on 127.0.0.1 (bounded in time and requests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_ops .venv/bin/python bench/load_mixed.py \
        [--duration 20] [--concurrency 8] [--workers 4] [--mix verify=35,search=25,page=20,partner=10,edit=10]

Prepares the database (migrate, map, demo), starts gunicorn (sync workers), runs the mix from a
thread pool for --duration seconds (at most 120 s and 200,000 requests), then checks that every
accepted write is in the database: each accepted producer edit (302) must have its ActivityLog row
and its new value. Endpoints that do not exist yet are left out of the mix (reported as skipped).
Writes bench/results/load_mixed.json and prints throughput and p50/p95/p99 per endpoint."""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
HOST, PORT = "127.0.0.1", 8018
MAX_SECONDS, MAX_REQUESTS = 120, 200_000


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, capture_output=True)


def prepare():
    manage("migrate", "--noinput")
    manage("load_admin_units")
    manage("seed_demo")
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore

    from ocop.accounts.enums import Role
    from ocop.accounts.models import RoleAssignment
    from ocop.api import domain
    from ocop.api.models import Scope
    from ocop.certificates.models import Certificate
    from ocop.registry.models import Product

    officer = RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICER).select_related("user", "unit").first()
    _token, raw = domain.issue_token(
        actor=officer.user,
        name="load test",
        partner="bench",
        scopes=list(Scope.values),
        province=officer.unit,
        rate_limit_per_minute=100_000,
    )
    session = SessionStore()
    session["_auth_user_id"] = str(officer.user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = officer.user.get_session_auth_hash()
    session.create()
    return {
        "token": raw,
        "session": session.session_key,
        "certificates": list(Certificate.objects.values_list("number", flat=True)[:200]),
        "products": list(Product.objects.values_list("pk", flat=True)[:200]),
        "edit_product": Product.objects.order_by("pk").values_list("pk", flat=True).first(),
    }


class Runner:
    def __init__(self, data):
        self.data, self.lock = data, threading.Lock()
        self.latencies, self.codes, self.accepted_edits = {}, {}, []
        self.count = 0

    def request(self, conn, method, path, headers=None, body=None):
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        content = response.read()
        return response.status, content, response

    def csrf(self, conn, cookie):
        _status, content, response = self.request(
            conn, "GET", f"/office/products/{self.data['edit_product']}/edit/", {"Cookie": cookie}
        )
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        set_cookie = response.getheader("Set-Cookie") or ""
        match = re.search(r"csrftoken=([^;]+)", set_cookie)
        return token, match.group(1) if match else None

    def run_one(self, conn, kind, state):
        d = self.data
        if kind == "verify":
            return self.request(conn, "GET", f"/api/v1/verify/{random.choice(d['certificates'])}")
        if kind == "search":
            q = random.choice(["keo dua", "banh", "mat ong", "dua", "ruou", "tra"])
            return self.request(conn, "GET", "/api/v1/products?" + urllib.parse.urlencode({"q": q}))
        if kind == "page":
            return self.request(conn, "GET", f"/products/{random.choice(d['products'])}/")
        if kind == "partner":
            return self.request(
                conn, "GET", "/api/v1/partner/products?limit=50", {"Authorization": f"Bearer {d['token']}"}
            )
        if kind == "edit":
            cookie = f"sessionid={d['session']}"
            if "csrf" not in state:
                state["csrf"] = self.csrf(conn, cookie)
            token, csrf_cookie = state["csrf"]
            marker = f"load-{threading.get_ident()}-{time.monotonic_ns()}"
            form = {
                "name": "Kẹo dừa (bench)",
                "product_set": "7",
                "status": "active",
                "packaging": marker[:255],
            }
            status, content, response = self.request(
                conn,
                "POST",
                f"/office/products/{d['edit_product']}/edit/",
                {
                    "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": token,
                    "Referer": f"http://{HOST}:{PORT}/",
                },
                urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}),
            )
            if status == 302:
                with self.lock:
                    self.accepted_edits.append(marker)
            return status, content, response
        raise ValueError(kind)

    def worker(self, mix, deadline):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        state, kinds, weights = {}, list(mix), list(mix.values())
        while time.monotonic() < deadline:
            with self.lock:
                if self.count >= MAX_REQUESTS:
                    return
                self.count += 1
            kind = random.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                status = self.run_one(conn, kind, state)[0]
            except (OSError, http.client.HTTPException):
                status = "error"
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.latencies.setdefault(kind, []).append(elapsed)
                self.codes.setdefault(kind, {}).setdefault(str(status), 0)
                self.codes[kind][str(status)] += 1


def percentile(values, p):
    return round(statistics.quantiles(values, n=100)[p - 1], 1) if len(values) >= 2 else round(values[0], 1)


def exists(path, headers=None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers=headers or {})
    status = conn.getresponse().status
    conn.close()
    return status < 404 or status == 405


def loss_check(runner, data):
    from ocop.core.models import ActivityLog

    logged = {
        row["changes"]["packaging"][1]
        for row in ActivityLog.objects.filter(
            action="registry.product.updated", object_id=str(data["edit_product"])
        ).values_list("data", flat=True)
        if "packaging" in row.get("changes", {})
    }
    missing = [m for m in runner.accepted_edits if m not in logged]
    return {"accepted_writes": len(runner.accepted_edits), "missing_writes": len(missing)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--mix", default="verify=35,search=25,page=20,partner=10,edit=10")
    args = parser.parse_args()
    duration = min(args.duration, MAX_SECONDS)
    mix = {k: int(v) for k, v in (item.split("=") for item in args.mix.split(","))}
    data = prepare()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ocop.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if exists("/bench/trivial"):
                    break
            except OSError:
                time.sleep(0.2)
        probes = {
            "verify": f"/api/v1/verify/{data['certificates'][0]}" if data["certificates"] else None,
            "search": "/api/v1/products?q=keo",
            "page": f"/products/{data['products'][0]}/" if data["products"] else None,
            "partner": "/api/v1/partner/products",
        }
        skipped = [
            k
            for k in list(mix)
            if k in probes
            and (probes[k] is None or not exists(probes[k], {"Authorization": f"Bearer {data['token']}"}))
        ]
        for k in skipped:
            mix.pop(k)
        runner = Runner(data)
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(target=runner.worker, args=(mix, deadline)) for _ in range(args.concurrency)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(10)
    result = {
        "database": os.environ.get("DATABASE_URL", "sqlite").split("@")[-1],
        "duration_s": round(wall, 1),
        "concurrency": args.concurrency,
        "gunicorn_workers": args.workers,
        "mix": mix,
        "skipped": skipped,
        "requests": sum(len(v) for v in runner.latencies.values()),
        "endpoints": {
            k: {
                "requests": len(v),
                "rps": round(len(v) / wall, 1),
                "p50_ms": percentile(v, 50),
                "p95_ms": percentile(v, 95),
                "p99_ms": percentile(v, 99),
                "status": runner.codes[k],
            }
            for k, v in runner.latencies.items()
        },
        "loss_check": loss_check(runner, data),
    }
    result["total_rps"] = round(result["requests"] / wall, 1)
    out = ROOT / "bench" / "results" / "load_mixed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    if result["loss_check"]["missing_writes"]:
        sys.exit("LOSS: accepted writes missing from the database")


if __name__ == "__main__":
    main()
