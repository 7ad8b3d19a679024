"""Real consumers of our documents: LibreOffice turns DOCX into PDF, poppler reads the PDF."""

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


def to_pdf(source: Path) -> Path:
    """Convert a DOCX next to itself with headless LibreOffice (a fresh profile each time)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.fail(
            "LibreOffice is missing: apt-get install libreoffice-writer-nogui (tests/run does it)"
        )
    profile = source.parent / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf")


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, mode="-layout") -> str:
    """Return the text of a PDF (or of some pages); -layout keeps columns, -raw keeps reading order."""
    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(
        ["pdftotext", mode, *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
