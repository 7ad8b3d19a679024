"""Open the exported DOCX in a real consumer: LibreOffice converts it to PDF, poppler reads it back."""

import re
import subprocess

import pytest

from forum.services.docx_export import build_docx
from tests.office import pdf_text as office_text
from tests.office import to_pdf
from tests.report_samples import sample_report

FURNITURE = {"Nr.", "Maßnahme", "Verantwortlich", "Horizont", "Indikator", "Punkte"}


def squash(text: str) -> str:
    # Table cells wrap, may hyphenate and may run over a page break, where the footer and the
    # repeated header row come in between: compare without those, whitespace and hyphens.
    lines = [
        line
        for line in text.splitlines()
        if line.strip() not in FURNITURE and not re.search(r"· Seite \d+$", line)
    ]
    return re.sub(r"[\s\-\u00ad]", "", "".join(lines))


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Convert a realistic single-forum document once; return the report and the PDF path."""
    folder = tmp_path_factory.mktemp("libreoffice")
    report = sample_report(seed=7)
    source = folder / "themenforum.docx"
    source.write_bytes(build_docx(report))
    return report, to_pdf(source)


def pdf_text(pdf, first=None, last=None) -> str:
    return office_text(pdf, first, last, mode="-raw")


def test_pdf_holds_groups_cards_and_measures(converted):
    report, pdf = converted
    text = squash(pdf_text(pdf))
    forum = report.forums[0]
    assert squash(report.title) in text and squash(forum.heading) in text
    for group in forum.groups:
        assert squash(f"Gruppe {group.name}") in text
    for measure in report.measures:  # every field of every measure survived: nothing cut off
        for value in (measure.number, measure.title, measure.goal, measure.indicator):
            assert squash(value) in text
    card = forum.groups[1].cards["threat"][0].text
    assert squash(card) in text


def test_pdf_pages_are_a4_portrait(converted):
    _, pdf = converted
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}
    assert 8 < len(sizes) < 60


def test_title_and_matrix_pages_render(converted, tmp_path):
    _, pdf = converted
    matrix_page = next(
        page
        for page in range(1, 60)
        if "Stärken" in pdf_text(pdf, page, page) and "Schwächen" in pdf_text(pdf, page, page)
    )
    for page in (1, matrix_page):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(tmp_path / "page"),
            ],
            check=True,
        )
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == 2 and all(image.stat().st_size > 5_000 for image in images)
    assert "Inhaltsverzeichnis" not in pdf_text(pdf, 1, 1)  # the title page stands alone
