"""Start and stop gunicorn with the repository's gunicorn.conf.py, for benchmarks and crash tests."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.httpload import Client

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CONFIG = str(ROOT / "gunicorn.conf.py")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(app: str, port: int, env: dict[str, str], log: Path, ready_path: str = "/healthz"):
    """Run gunicorn in its own process group and wait until `ready_path` answers 200."""
    command = [GUNICORN, "-c", CONFIG, "-b", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # master and workers share a group: one signal reaches all
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            if Client("127.0.0.1", port).get(ready_path).status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within 30 s; see {log}")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Signal gunicorn's whole process group (SIGKILL: a crash) and wait for the master."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)
    if sig == signal.SIGKILL:
        _wait_for_group_gone(process.pid)


def _wait_for_group_gone(pgid: int) -> None:
    # Workers die with the signal too, but the kernel may need a moment to reap them.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
