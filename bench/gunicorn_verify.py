"""gunicorn configuration for bench/verify_load.py, and the shape a deployment's gunicorn.conf.py takes.

Sync workers, two per core: the verify hot path is CPU-bound Python with one local Redis round trip
and no SQL, so threads would only contend for the GIL, and sync workers are what docs/deploy.md runs.
`worker_exit` writes the worker's buffered scan rows before it goes (graceful stop, --max-requests
restart); the atexit hook in ocop.stamps.scanbuffer covers other clean exits."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8096")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
accesslog = None
graceful_timeout = 30


def worker_exit(server, worker):
    from ocop.stamps import scanbuffer

    scanbuffer.on_exit()
