"""CPU time of the processes a benchmark started (Linux /proc): shared by the benchmark scripts."""

import os
from pathlib import Path


def cpu_seconds(pids):
    """User + system CPU time of each of these processes, in seconds, by pid (a process gone is left out)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found
