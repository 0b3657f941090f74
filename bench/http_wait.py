"""Waiting for a server a benchmark started: shared by the benchmark scripts."""

import time
from urllib.request import urlopen


def wait_until_up(url, seconds=120):
    """Return once `url` answers; raise the last connection error after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
