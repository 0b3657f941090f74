"""Per-process buffer of scan rows, written in batches by a background thread.

A verify request appends its row here (no SQL); the flusher inserts everything pending in ONE
transaction (on PostgreSQL one COPY under `SET LOCAL synchronous_commit TO OFF`: the commit does
not wait for the WAL flush, so a database crash can lose the last fraction of a second, a worker
crash cannot) every VERIFY_FLUSH_ROWS rows or VERIFY_FLUSH_MS milliseconds, then raises the
counterfeit signals the new rows call for and loads batches into the shared scan index. The buffer is
also flushed when the process exits (`atexit`, and gunicorn's `worker_exit` hook in
deploy/gunicorn.conf.py, the one configuration). Rows whose insert failed stay in the buffer
and are tried again; only a killed process (SIGKILL) loses what it had not flushed yet (at most
VERIFY_FLUSH_MS of scans).

Used when VERIFY_SCAN_BUFFER is on (default: production on PostgreSQL); otherwise `record_scan`
inserts synchronously (the embedded SQLite default)."""

import atexit
import datetime
import logging
import os
import threading
from collections import Counter
from typing import NamedTuple

from django.db import DatabaseError, close_old_connections, connection, transaction

from . import conf
from .models import Scan

log = logging.getLogger(__name__)


class ScanBuffer:
    def __init__(self):
        self.pid = os.getpid()
        self.rows = []  # ScanRow tuples, not yet saved
        self.pending = Counter()  # serial -> rows not yet in the database
        self.followups = []  # (row, count, first) whose signals are checked after the insert
        self.to_load = set()  # batch ids to load into the shared scan index
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        self.wake = threading.Event()
        self.thread = None
        self.stopping = False

    def append(self, row, *, followup=None):
        with self.lock:
            self.rows.append(row)
            self.pending[row.serial] += row.counted
            if followup is not None:
                self.followups.append((row, *followup))
            full = len(self.rows) >= conf.get("VERIFY_FLUSH_ROWS")
        self._ensure_thread()
        if full:
            self.wake.set()

    def pending_for(self, serial):
        return self.pending.get(serial, 0)

    def load_later(self, batch_id):
        with self.lock:
            self.to_load.add(batch_id)
        self._ensure_thread()

    def _ensure_thread(self):
        if self.thread is None or not self.thread.is_alive():
            with self.lock:
                if self.thread is None or not self.thread.is_alive():
                    self.stopping = False
                    self.thread = threading.Thread(target=self._run, name="scan-flusher", daemon=True)
                    self.thread.start()

    def _run(self):
        while not self.stopping:
            self.wake.wait(conf.get("VERIFY_FLUSH_MS") / 1000)
            self.wake.clear()
            try:
                self.flush()
            except Exception:  # keep flushing whatever happens to one batch
                log.exception("scan flush failed")
            finally:
                close_old_connections()
        connection.close()  # this thread's own connection

    def flush(self):
        """Insert every pending row (one transaction); returns how many were written."""
        with self.flush_lock:
            with self.lock:
                rows, followups, to_load = self.rows, self.followups, self.to_load
                self.rows, self.followups, self.to_load = [], [], set()
            if rows:
                try:
                    _insert(rows)
                except DatabaseError:
                    log.exception("scan rows not written yet; kept for the next flush")
                    with self.lock:
                        self.rows[:0], self.followups[:0] = rows, followups
                        self.to_load |= to_load
                    connection.close()
                    return 0
                with self.lock:
                    for row in rows:
                        self.pending[row.serial] -= row.counted
                        if self.pending[row.serial] <= 0:
                            del self.pending[row.serial]
            _after_insert(followups, to_load)
            return len(rows)


class ScanRow(NamedTuple):
    """One scan as buffered (a model instance per scan would cost more than the rest of the request)."""

    serial: str
    batch_id: int
    scanned_at: datetime.datetime
    verdict: str
    region: str
    latitude: float | None
    longitude: float | None
    device: str
    counted: bool = True


def _insert(rows):
    table, columns = Scan._meta.db_table, ", ".join(ScanRow._fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            Scan.objects.bulk_create([Scan(**row._asdict()) for row in rows], batch_size=500)


# What follows an insert (the counterfeit signals, loading batches into the shared scan index) is the
# scan log's business: `scans` registers it when imported (`after_insert`), so this buffer imports
# nothing of it.
_after_insert_hooks = []


def after_insert(hook):
    """Register `hook(followups, to_load)`, called after each successful insert."""
    if hook not in _after_insert_hooks:
        _after_insert_hooks.append(hook)
    return hook


def _after_insert(followups, to_load):
    for hook in tuple(_after_insert_hooks):
        hook(followups, to_load)


_buffer = None
_buffer_lock = threading.Lock()


def get():
    """This process's buffer (a forked worker gets its own, empty one)."""
    global _buffer
    if _buffer is None or _buffer.pid != os.getpid():
        with _buffer_lock:
            if _buffer is None or _buffer.pid != os.getpid():
                _buffer = ScanBuffer()
    return _buffer


def flush():
    """Write this process's pending scans now (tests, shutdown hooks)."""
    if _buffer is None or _buffer.pid != os.getpid():
        return 0
    return _buffer.flush()


def on_exit():
    """atexit / gunicorn worker_exit: stop the flusher and write what is left."""
    if _buffer is None or _buffer.pid != os.getpid():
        return
    _buffer.stopping = True
    _buffer.wake.set()
    if _buffer.thread is not None and _buffer.thread is not threading.current_thread():
        _buffer.thread.join(5)
    try:
        written = _buffer.flush()
        if written:
            log.info("flushed %s scans on exit", written)
    except Exception:
        log.exception("scans not flushed on exit")


atexit.register(on_exit)
