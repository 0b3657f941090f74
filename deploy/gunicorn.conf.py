"""gunicorn configuration for a production server (docs/deploy.md):

    gunicorn -c deploy/gunicorn.conf.py ocop.wsgi

Sync workers, two per core (the hot public paths are CPU-bound Python; threads would contend for the
GIL). `worker_exit` writes the worker's buffered stamp-scan rows before it goes (graceful stop and
--max-requests restarts), so a restart loses no scan."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"


def worker_exit(server, worker):
    from ocop.stamps import scanbuffer

    scanbuffer.on_exit()
