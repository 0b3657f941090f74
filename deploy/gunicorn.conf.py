"""gunicorn configuration of a production server, and the ONE configuration the benchmarks start
(bench/*.py run `gunicorn -c deploy/gunicorn.conf.py ocop.wsgi`; tests/ops/test_gunicorn_conf.py checks it):

    gunicorn -c deploy/gunicorn.conf.py ocop.wsgi

Reasoning (docs/deploy.md, "gunicorn"):
- Sync workers, two per core. The hot public paths (verify, product page, catalogue) are CPU-bound
  Python with one local Redis or PostgreSQL round trip of a fraction of a millisecond; threads in one
  process would contend for the GIL and add no CPU. nginx in front buffers slow clients, which is
  what sync workers need. More workers than 2 × cores only add context switches on such a load.
- The application is loaded once in the master (`preload_app`) and the workers are forked from it:
  a new worker answers at once (no second import of Django, ~1 s of CPU) and shares the master's
  memory pages. Before forking, the master computes what every worker would otherwise compute on its
  first request (`ocop.warmup`) and closes its database connections, so no worker inherits one;
  each worker opens its own database and Redis connections before it accepts its first request.
- No periodic restarts (`max_requests` 0). Restarting every 2,000 requests (the old setting) meant,
  under sustained load, a restart every few seconds, often several in the same second: ~40 % of the
  throughput and p99 of 300–1,200 ms. Memory is watched instead: every WATCH_EVERY requests a worker
  reads its resident size and, above GUNICORN_MAX_RSS_MB, finishes the request in hand and exits
  gracefully (its scan buffer written by `worker_exit`); the master forks a replacement. Workers grow
  at different rates, so such restarts are rare and staggered by nature. GUNICORN_MAX_REQUESTS can
  still turn on gunicorn's own restarts (then with a jitter of half that number).
- No gunicorn access log by default: nginx writes one for every request already (GUNICORN_ACCESSLOG=-
  writes one to the journal as well)."""

import logging
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 2
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

MAX_RSS_MB = int(os.environ.get("GUNICORN_MAX_RSS_MB", 768))
WATCH_EVERY = 1000

log = logging.getLogger("gunicorn.error")


def when_ready(server):
    """In the master, once the application is loaded and before the first fork."""
    from ocop import warmup

    warmup.before_fork()


def post_fork(server, worker):
    worker.ocop_requests = 0


def post_worker_init(worker):
    """In each new worker, before it accepts requests: its own database and cache connections."""
    from ocop import warmup

    warmup.in_worker()


def resident_mb():
    """This process's resident memory in MB (Linux; None elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def post_request(worker, req, environ, resp):
    """The memory watchdog: a worker over MAX_RSS_MB ends after this request (gracefully)."""
    worker.ocop_requests = getattr(worker, "ocop_requests", 0) + 1
    if MAX_RSS_MB and worker.ocop_requests % WATCH_EVERY == 0:
        rss = resident_mb()
        if rss is not None and rss > MAX_RSS_MB:
            log.warning("worker %s uses %.0f MB (> %s MB): restarting it", worker.pid, rss, MAX_RSS_MB)
            worker.alive = False


def worker_exit(server, worker):
    from ocop.stamps import scanbuffer

    scanbuffer.on_exit()
