"""CPU time of processes from /proc (Linux): the server's cost, measured from outside."""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _fields(pid: int | str) -> list[str]:
    # The command name may hold spaces and brackets; the fields after its last ")" do not.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def process_seconds(pid: int) -> float:
    """User and system CPU seconds of one process (its own threads, not its children)."""
    fields = _fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def group_seconds(pgid: int) -> float:
    """CPU seconds of every process in the process group `pgid` and its reaped children.

    gunicorn started in a session of its own: the master is the group leader and the workers
    are members. A worker that died and was reaped left its time in the master's cutime/cstime.
    """
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _fields(entry.name)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # gone between listing and reading
        if int(fields[2]) != pgid:
            continue
        total += int(fields[11]) + int(fields[12])
        if int(entry.name) == pgid:
            total += int(fields[13]) + int(fields[14])
    return total / TICKS


def processes_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each listed process that still runs (e.g. database backends)."""
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = process_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return seconds


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings; a process new in `after` counts from zero."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
