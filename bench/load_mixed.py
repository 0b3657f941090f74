"""Mixed load test with a loss check, against gunicorn on 127.0.0.1 (bounded in time and requests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/speed_ops REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python bench/load_mixed.py [--duration 20] [--concurrency 8] [--workers 4] \
        [--mix scan=30,verify=10,search=20,page=15,partner=10,edit=8,score=7] [--prepare-only]

Prepares the database (migrate, map, demo), starts gunicorn (sync workers), runs the mix from a
thread pool for --duration seconds (at most 120 s and 200,000 requests), then checks that every
accepted write is in the database: each accepted product edit (302) must have its ActivityLog row and
its new value; every stamp scan answered 200 must be a row of the scan log (scans go through the
per-worker buffer, written on worker exit by deploy/gunicorn.conf.py's hook); every council
scoresheet save must have raised the sheet's version and left its log row. Endpoints that do not exist yet are left out of the mix (reported as skipped).
Writes bench/results/load_mixed.json and prints throughput and p50/p95/p99 per endpoint.
--prepare-only: prepare the database (and the static files) and stop, measuring nothing."""

import argparse
import html.parser
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
from procstat import cpu_seconds  # noqa: E402  (bench/, the script's folder, is on sys.path)

HOST, PORT = "127.0.0.1", 8183
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
    from ocop.geo.enums import MapVersion
    from ocop.registry.models import Product

    # A province officer of the current map (Vĩnh Long, 86): a former province's officer (the demo's Bến
    # Tre) is read-only since 1/7/2025 and may neither issue a partner token nor edit a product.
    officer = (
        RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICER, unit__map=MapVersion.CURRENT)
        .select_related("user", "unit")
        .order_by("pk")
        .first()
    )
    _token, raw = domain.issue_token(
        actor=officer.user,
        name="load test",
        partner="bench",
        scopes=list(Scope.values),
        province=officer.unit,
        rate_limit_per_minute=100_000,
    )
    session = _session_for(SessionStore, officer.user)
    return {
        **_scan_and_score_data(SessionStore),
        "token": raw,
        "session": session,
        "certificates": list(Certificate.objects.values_list("number", flat=True)[:200]),
        "products": list(Product.objects.values_list("pk", flat=True)[:200]),
        # One product per client thread (the officer may edit them): two threads never edit the same
        # record, so no save is refused as a stale edit (the lock token) and every accepted one counts.
        "edit_products": [
            p.pk
            for p in Product.objects.select_related("producer").order_by("pk")
            if officer.user.has_perm("registry.change_product", p)
        ],
    }


def _session_for(store_class, user):
    session = store_class()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _scan_and_score_data(store_class):
    """Serials of approved stamp batches, and a council member's session on a dossier in scoring whose
    sheet is not yet submitted (each save is accepted and raises the sheet's lock_version)."""
    from ocop.core.models import ActivityLog
    from ocop.evaluation.enums import DossierState, SheetStatus
    from ocop.evaluation.models import Dossier, Scoresheet
    from ocop.stamps.enums import BatchState
    from ocop.stamps.models import Scan, StampBatch
    from ocop.stamps.serials import make_serial

    batches = StampBatch.objects.filter(state=BatchState.APPROVED, certificate__revoked_on__isnull=True)
    serials = [make_serial(b.pk, i, b.key_id) for b in batches for i in range(100, 140)]
    data = {"serials": serials, "scans_before": Scan.objects.count(), "score": None}
    for dossier in Dossier.objects.filter(state=DossierState.SCORING):
        for membership in dossier.round.memberships.filter(body="council").select_related("user"):
            user = membership.user
            if Scoresheet.objects.filter(dossier=dossier, member=user, status=SheetStatus.SUBMITTED).exists():
                continue
            sheet = Scoresheet.objects.filter(dossier=dossier, member=user).order_by("-version").first()
            data["score"] = {
                "dossier": dossier.pk,
                "user": user.pk,
                "session": _session_for(store_class, user),
                "lock_before": sheet.lock_version if sheet else 0,
                "logs_before": ActivityLog.objects.filter(
                    action="evaluation.scoresheet.saved",
                    object_id=str(dossier.pk),
                    data__member=user.username,
                ).count(),
            }
            return data
    return data


class Runner:
    def __init__(self, data):
        self.data, self.lock = data, threading.Lock()
        self.latencies, self.codes, self.accepted_edits = {}, {}, []
        self.accepted_scans = self.accepted_scores = 0
        self.count = self.edit_slots = 0

    def request(self, conn, method, path, headers=None, body=None):
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        content = response.read()
        return response.status, content, response

    def csrf(self, conn, cookie, path):
        _status, content, response = self.request(conn, "GET", path, {"Cookie": cookie})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        set_cookie = response.getheader("Set-Cookie") or ""
        match = re.search(r"csrftoken=([^;]+)", set_cookie)
        return token, match.group(1) if match else None

    def run_one(self, conn, kind, state):
        d = self.data
        if kind == "scan":
            status, content, response = self.request(conn, "GET", f"/v/{random.choice(d['serials'])}")
            if status == 200:
                with self.lock:
                    self.accepted_scans += 1
            return status, content, response
        if kind == "score":
            return self.score(conn, state)
        if kind == "verify":
            return self.request(conn, "GET", f"/api/v1/verify/{random.choice(d['certificates'])}")
        if kind == "search":
            q = random.choice(["keo dua", "banh", "mat ong", "dua", "ruou", "tra"])
            return self.request(conn, "GET", "/api/v1/products?" + urllib.parse.urlencode({"q": q}))
        if kind == "page":
            return self.request(conn, "GET", random.choice(d["product_urls"]))
        if kind == "partner":
            return self.request(
                conn, "GET", "/api/v1/partner/products?limit=50", {"Authorization": f"Bearer {d['token']}"}
            )
        if kind == "edit":
            return self.edit(conn, state)
        raise ValueError(kind)

    def edit(self, conn, state):
        """An officer's product edit as a browser makes it: open the form (its fields, CSRF token and
        the record's lock token as they are now), change the packaging, save. The GET is timed as
        `edit_form`, the POST as `edit`."""
        d = self.data
        if "product" not in state:
            with self.lock:
                state["product"] = d["edit_products"][self.edit_slots % len(d["edit_products"])]
                self.edit_slots += 1
        path = f"/office/products/{state['product']}/edit/"
        cookie = f"sessionid={d['session']}"
        started = time.perf_counter()
        _status, content, response = self.request(conn, "GET", path, {"Cookie": cookie})
        self.record("edit_form", _status, started)
        fields = form_fields(content.decode())
        match = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if match:
            state["csrf_cookie"] = match.group(1)
        marker = f"load-{threading.get_ident()}-{time.monotonic_ns()}"
        state["started"] = time.perf_counter()  # the save alone is timed as `edit`
        fields.pop("photo", None)
        fields["packaging"] = marker[:255]
        status, content, response = self.request(
            conn,
            "POST",
            path,
            {
                "Cookie": f"{cookie}; csrftoken={state.get('csrf_cookie', '')}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": fields.get("csrfmiddlewaretoken", ""),
                "Referer": f"http://{HOST}:{PORT}/",
            },
            urllib.parse.urlencode(fields),
        )
        if status == 302:
            with self.lock:
                self.accepted_edits.append((state["product"], marker))
        return status, content, response

    def record(self, kind, status, started):
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies.setdefault(kind, []).append(elapsed)
            self.codes.setdefault(kind, {}).setdefault(str(status), 0)
            self.codes[kind][str(status)] += 1

    def score(self, conn, state):
        score = self.data["score"]
        cookie = f"sessionid={score['session']}"
        path = f"/office/evaluation/dossiers/{score['dossier']}/score/"
        if "score_csrf" not in state:
            state["score_csrf"] = self.csrf(conn, cookie, path)
        token, csrf_cookie = state["score_csrf"]
        form = {"notes": f"load-{time.monotonic_ns()}", "action": "save", "csrfmiddlewaretoken": token}
        status, content, response = self.request(
            conn,
            "POST",
            path,
            {
                "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": token,
                "Referer": f"http://{HOST}:{PORT}/",
            },
            urllib.parse.urlencode(form),
        )
        if status == 302:
            with self.lock:
                self.accepted_scores += 1
        return status, content, response

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
            self.record(kind, status, state.pop("started", started))


class _FormFields(html.parser.HTMLParser):
    """The values a browser would submit for the page's forms: inputs, checked boxes, selected options,
    textareas (enough for the office's edit forms)."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea, self._first_option = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += (
                data.removeprefix("\n") if not self.fields[self._textarea] else data
            )


def form_fields(page):
    parser = _FormFields()
    parser.feed(page)
    return parser.fields


def percentile(values, p):
    return round(statistics.quantiles(values, n=100)[p - 1], 1) if len(values) >= 2 else round(values[0], 1)


def exists(path, headers=None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers=headers or {})
    status = conn.getresponse().status
    conn.close()
    return status < 404 or status == 405


def canonical(path):
    """The product page's canonical (slug) URL: /products/<id>/ answers 301 to it."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return urllib.parse.urlsplit(response.getheader("Location") or path).path


def loss_check(runner, data):
    from ocop.core.models import ActivityLog
    from ocop.registry.models import Product

    edited = sorted({pk for pk, _marker in runner.accepted_edits})
    logged = {
        (int(object_id), row["changes"]["packaging"][1])
        for object_id, row in ActivityLog.objects.filter(
            action="registry.product.updated", object_id__in=[str(pk) for pk in edited]
        ).values_list("object_id", "data")
        if "packaging" in row.get("changes", {})
    }
    # Each product's last accepted edit is also its value now.
    last = dict(runner.accepted_edits)
    now = dict(Product.objects.filter(pk__in=edited).values_list("pk", "packaging"))
    missing = [edit for edit in runner.accepted_edits if edit not in logged]
    missing += [pk for pk, marker in last.items() if now.get(pk) != marker[:255]]
    result = {"accepted_writes": len(runner.accepted_edits), "missing_writes": len(missing)}
    result.update(scan_loss(runner, data), **score_loss(runner, data))
    result["missing_total"] = (
        result["missing_writes"] + result["missing_scans"] + result["missing_scoresheet_saves"]
    )
    return result


def scan_loss(runner, data):
    from ocop.stamps.models import Scan

    written = Scan.objects.count() - data["scans_before"]
    return {
        "accepted_scans": runner.accepted_scans,
        "scan_rows_written": written,
        "missing_scans": max(0, runner.accepted_scans - written),
    }


def score_loss(runner, data):
    from ocop.core.models import ActivityLog
    from ocop.evaluation.models import Scoresheet

    score = data["score"]
    if score is None:
        return {"accepted_scoresheet_saves": 0, "missing_scoresheet_saves": 0}
    sheet = (
        Scoresheet.objects.filter(dossier_id=score["dossier"], member_id=score["user"])
        .order_by("-version")
        .first()
    )
    raised = (sheet.lock_version if sheet else 0) - score["lock_before"]
    logs = ActivityLog.objects.filter(
        action="evaluation.scoresheet.saved", object_id=str(score["dossier"])
    ).count()
    logged = logs - score["logs_before"]
    return {
        "accepted_scoresheet_saves": runner.accepted_scores,
        "scoresheet_versions_raised": raised,
        "missing_scoresheet_saves": max(0, runner.accepted_scores - min(raised, logged)),
    }


def server_pids(master):
    """The gunicorn workers (children of the master), this database's PostgreSQL backends (not this
    process's own) and the Redis server."""
    from django.db import connection

    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    redis = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True).stdout.split()
    return {
        "gunicorn_workers": [int(pid) for pid in workers],
        "postgresql": backends,
        "redis": [int(pid) for pid in redis],
    }


def cpu_snapshot(master):
    """CPU seconds so far by part: the server's processes, and this load generator (all its threads)."""
    if connection_vendor() != "postgresql":
        return None
    parts = {name: cpu_seconds(pids) for name, pids in server_pids(master).items()}
    parts["load_generator"] = {os.getpid(): time.process_time()}
    return parts


def connection_vendor():
    from django.db import connection

    return connection.vendor


def cpu_per_request(before, after, requests):
    """CPU µs per answered request by part (a process that ended during the run is left out; one that
    started during it counts in full; the Redis server may also serve other work on the machine)."""
    if before is None or after is None:
        return None
    used = {name: sum(cpu - before[name].get(pid, 0) for pid, cpu in after[name].items()) for name in after}
    per_request = {name: round(seconds * 1e6 / max(1, requests), 1) for name, seconds in used.items()}
    per_request["server_total"] = round(
        sum(per_request[name] for name in ("gunicorn_workers", "postgresql", "redis")), 1
    )
    per_request["all_total"] = round(per_request["server_total"] + per_request["load_generator"], 1)
    return per_request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--mix", default="scan=30,verify=10,search=20,page=15,partner=10,edit=8,score=7")
    parser.add_argument("--prepare-only", action="store_true", help="prepare the database, measure nothing")
    args = parser.parse_args()
    duration = min(args.duration, MAX_SECONDS)
    mix = {k: int(v) for k, v in (item.split("=") for item in args.mix.split(","))}
    # Production settings, as deployed (docs/deploy.md), for the preparation (the stamp key makes the
    # serials) and the server alike; the shared cache is Redis when REDIS_URL is given.
    os.environ.update(
        {
            "OCOP_ENV": "production",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdef0123456789"),
            "STAMP_KEY": os.environ.get("STAMP_KEY", "bench-only-stamp-key-0123456789"),
            "STATIC_ROOT": os.environ.get(
                "STATIC_ROOT", str(Path(tempfile.gettempdir()) / "ocop_bench_mixed_static")
            ),
        }
    )
    manage("collectstatic", "--noinput")
    data = prepare()
    if args.prepare_only:
        print(json.dumps({"prepared": True, "scans_before": data["scans_before"]}))
        return
    # Scans go through the per-worker buffer (as in production) and the verify rate limit is off: the
    # load comes from one address. deploy/gunicorn.conf.py writes the buffer when a worker stops.
    env = {
        **os.environ,
        "CONN_MAX_AGE": "60",
        "VERIFY_SCAN_BUFFER": "true",
        "VERIFY_RATE_PER_MINUTE": "0",
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_LOGLEVEL": "warning",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "ocop.wsgi",
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
            "scan": f"/v/{data['serials'][0]}" if data["serials"] else None,
            "score": "/accounts/login/" if data["score"] else None,
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
        data["product_urls"] = [canonical(f"/products/{pk}/") for pk in data["products"][:50]]
        runner = Runner(data)
        load_before = [round(x, 2) for x in os.getloadavg()]
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(target=runner.worker, args=(mix, deadline)) for _ in range(args.concurrency)
        ]
        cpu_before = cpu_snapshot(server.pid)
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        cpu_after = cpu_snapshot(server.pid)
    finally:
        server.terminate()
        server.wait(60)
    result = {
        "database": os.environ.get("DATABASE_URL", "sqlite").split("@")[-1],
        "redis": os.environ.get("REDIS_URL"),
        "server": "gunicorn -c deploy/gunicorn.conf.py ocop.wsgi, OCOP_ENV=production",
        "load_average": {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]},
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
    # What a request of the mix costs in CPU, and the rate that would fill the machine's cores with
    # the server's work alone (the load generator runs on the same cores here).
    cpu = cpu_per_request(cpu_before, cpu_after, result["requests"])
    if cpu:
        cores = os.cpu_count() or 1
        cpu["cores"] = cores
        cpu["ceiling_rps_server_only"] = round(cores * 1e6 / cpu["server_total"], 1)
        cpu["ceiling_rps_with_load_generator"] = round(cores * 1e6 / cpu["all_total"], 1)
    result["cpu_us_per_request"] = cpu
    out = ROOT / "bench" / "results" / "load_mixed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    if result["loss_check"]["missing_total"]:
        sys.exit("LOSS: accepted writes missing from the database")


if __name__ == "__main__":
    main()
