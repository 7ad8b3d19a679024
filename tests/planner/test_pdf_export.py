"""The consolidated document as PDF: LibreOffice fills the contents page and tags the PDF.

Each real conversion takes a few seconds, so there are two: the whole process by the command
line (once per session, tests/planner/conftest.py) and one forum by the planner's download.
"""

import re
import subprocess
from pathlib import Path

import pytest

from forum.cli import main, prepare_demo
from forum.services import pdf_export
from tests.office import pdf_text

PLACEHOLDER = "wird beim Öffnen aktualisiert"
PROCESS = "fachplan-asyl-integration-2025-2030"
CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$")


@pytest.fixture
def no_libreoffice(monkeypatch):
    """A server without LibreOffice."""
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)


def squash(text: str) -> str:
    # Headings wrap and hyphenate differently in the contents and on their page.
    return re.sub(r"[\s\-\u00ad]", "", text)


def contents_entries(pdf: Path) -> list[tuple[str, int]]:
    """The (heading, page) lines of the contents page; a wrapped heading gives its last line."""
    lines = pdf_text(pdf, 2, 2).splitlines()
    return [(m[1], int(m[2])) for line in lines if (m := CONTENTS_LINE.match(line))]


def test_cli_pdf_is_tagged(whole_process_pdf):
    pdf = whole_process_pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.MULTILINE), info.stdout


def test_contents_page_lists_headings_with_their_pages(whole_process_pdf):
    # Which headings the document has is the DOCX builder's business (test_docx_content.py);
    # here: the contents field was filled, and every entry names the page its heading is on.
    pdf = whole_process_pdf
    assert PLACEHOLDER not in pdf_text(pdf)
    entries = contents_entries(pdf)
    assert len(entries) >= 5, pdf_text(pdf, 2, 2)
    for heading, page in entries:  # right even after the contents page itself grew
        assert squash(heading) in squash(pdf_text(pdf, page, page)), (heading, page)
    pages = [page for _, page in entries]
    assert pages == sorted(pages) and pages[0] > 2


def test_planner_downloads_the_forum_pdf(demo_planner):
    response = demo_planner.get("/planner/forums/themenforum-1/ergebnisse.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="themenforum-1-ergebnisse.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_offer_the_pdf_next_to_the_docx(demo_planner):
    index = demo_planner.get("/planner/").text
    assert f'href="/planner/processes/{PROCESS}/ergebnisse.pdf"' in index
    forum = demo_planner.get("/planner/forums/themenforum-1").text
    assert 'href="/planner/forums/themenforum-1/ergebnisse.pdf"' in forum


def test_cli_without_libreoffice_says_so_and_docx_still_works(app, no_libreoffice, tmp_path):
    prepare_demo(sample=True)
    runner = app.test_cli_runner()
    pdf, docx = tmp_path / "gesamt.pdf", tmp_path / "gesamt.docx"
    result = runner.invoke(main, ["export", "pdf", "--out", str(pdf)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: PDF-Export nicht möglich: LibreOffice ist")
    assert "apt-get install libreoffice-writer-nogui python3-uno" in result.stderr
    assert not pdf.exists()
    result = runner.invoke(main, ["export", "docx", "--out", str(docx)])
    assert result.exit_code == 0 and docx.read_bytes().startswith(b"PK")


def test_download_without_libreoffice_explains_on_the_page(demo_planner, no_libreoffice):
    for url, back in [
        ("/planner/forums/themenforum-1/ergebnisse.pdf", "/planner/forums/themenforum-1"),
        (f"/planner/processes/{PROCESS}/ergebnisse.pdf", "/planner/"),
    ]:
        response = demo_planner.get(url)
        assert response.status_code == 302 and response.location == back, url
        page = demo_planner.get(back).text
        assert "PDF-Export nicht möglich: LibreOffice ist auf diesem Server nicht" in page
        assert 'class="flash error"' in page


def test_without_uno_python_the_message_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_export, "UNO_PYTHON", str(tmp_path / "python3"))
    with pytest.raises(pdf_export.PdfUnavailable, match=r"python3-uno"):
        pdf_export.docx_to_pdf(b"PK")


@pytest.mark.parametrize("failure", ["timeout", "converter fails"])
def test_failed_conversion_leaves_no_office_and_no_files(failure, monkeypatch, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    if failure == "timeout":  # the converter is still starting when the time is up
        # 10 ms: a warm LibreOffice converted the two bytes within 1 s on a fast run.
        monkeypatch.setattr(pdf_export, "TIMEOUT_SECONDS", 0.01)
    else:
        broken = tmp_path / "broken.py"
        broken.write_text("import sys\nsys.exit('kaputt')\n")
        monkeypatch.setattr(pdf_export, "CONVERTER", broken)
    with pytest.raises(pdf_export.PdfUnavailable, match=r"^PDF-Export fehlgeschlagen: "):
        pdf_export.docx_to_pdf(b"PK")
    assert list(temp.iterdir()) == []
    assert not [p for p in Path("/proc").glob("[0-9]*") if str(temp) in _cmdline(p)]


def _cmdline(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
