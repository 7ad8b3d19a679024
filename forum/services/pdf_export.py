"""PDF of the consolidated Word document: LibreOffice fills the contents page, writes tagged PDF.

`soffice --convert-to pdf` leaves a DOCX's TOC field as its placeholder, so LibreOffice is driven
through UNO instead: a private soffice per conversion (own profile and port, so conversions in
parallel don't meet), and uno_convert.py run by Debian's python3, which can import `uno`.
"""

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

CONVERTER = Path(__file__).with_name("uno_convert.py")
UNO_PYTHON = "/usr/bin/python3"
TIMEOUT_SECONDS = 120
STOP_SECONDS = 5

MISSING = (
    "PDF-Export nicht möglich: LibreOffice ist auf diesem Server nicht installiert "
    "(Debian: apt-get install libreoffice-writer-nogui python3-uno). "
    "Das Word-Dokument funktioniert weiterhin."
)
NO_UNO = (
    "PDF-Export nicht möglich: Die Python-Anbindung von LibreOffice fehlt auf diesem Server "
    "(Debian: apt-get install python3-uno). Das Word-Dokument funktioniert weiterhin."
)
FAILED = (
    "PDF-Export fehlgeschlagen: LibreOffice konnte das Dokument nicht in PDF umwandeln. "
    "Bitte später noch einmal versuchen; das Word-Dokument funktioniert weiterhin."
)


class PdfUnavailable(Exception):
    """No PDF can be made here; the message tells the user why, in German."""


def find_soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def find_uno_python() -> str | None:
    """Debian's python3 if it can import uno, or None."""
    try:
        check = subprocess.run(
            [UNO_PYTHON, "-c", "import uno"], env=_clean_env(), capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return UNO_PYTHON if check.returncode == 0 else None


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert a DOCX to tagged PDF with its indexes filled; raise PdfUnavailable if impossible."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(MISSING)
    python = find_uno_python()
    if python is None:
        raise PdfUnavailable(NO_UNO)
    with tempfile.TemporaryDirectory(prefix="forum-pdf-", ignore_cleanup_errors=True) as folder:
        source, target = Path(folder) / "dokument.docx", Path(folder) / "dokument.pdf"
        source.write_bytes(docx)
        _convert(soffice, python, Path(folder), source, target)
        return target.read_bytes()


def _convert(soffice: str, python: str, folder: Path, source: Path, target: Path) -> None:
    """Run a private soffice and the converter against it; always stop soffice again."""
    port = _free_port()
    office = _start_office(soffice, folder / "profile", port)
    try:
        result = subprocess.run(
            [python, str(CONVERTER), str(port), str(source), str(target)],
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as error:
        log.error("PDF conversion took longer than %s s", TIMEOUT_SECONDS)
        raise PdfUnavailable(FAILED) from error
    finally:
        _stop_office(office)
    if result.returncode != 0 or not target.is_file():
        log.error("PDF conversion failed (%s): %s", result.returncode, result.stderr[-2000:])
        raise PdfUnavailable(FAILED)


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_office(soffice: str, profile: Path, port: int) -> subprocess.Popen:
    """Start a headless soffice with its own profile, listening for UNO on the port."""
    return subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # soffice is a launcher that forks soffice.bin: its own process group lets us stop both.
        start_new_session=True,
    )


def _stop_office(office: subprocess.Popen) -> None:
    """Terminate soffice and what it started, kill what is left after a few seconds, reap it."""
    _signal_group(office.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        office.wait(timeout=STOP_SECONDS)
    # The launcher may be gone while soffice.bin still runs in the group: that one goes now.
    _signal_group(office.pid, signal.SIGKILL)
    office.wait()
    _wait_until_gone(office.pid)


def _wait_until_gone(group: int, seconds: float = 5.0) -> None:
    """Wait until no living process of the group is left: a kill is delivered, not done at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _living_members(group):
        time.sleep(0.05)


def _living_members(group: int) -> bool:
    """Whether a process of this group still runs (zombies, already dead, do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == group:
                return True
    return False


def _signal_group(group: int, sig: int) -> None:
    """Send a signal to a process group that may already be gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sig)


def _clean_env() -> dict:
    """This environment without the venv's Python settings, which would confuse Debian's python3."""
    hidden = {"PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    return {key: value for key, value in os.environ.items() if key not in hidden}
