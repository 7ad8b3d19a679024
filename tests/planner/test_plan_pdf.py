"""The sample's plan chapter as a planner hands it on: read page by page from the tagged PDF."""

import re
import tomllib
from pathlib import Path

from forum.cli import DEMO_SAMPLES as SAMPLES
from tests.office import pdf_text

LABELS = {
    "strength": ("Stärken", "Stärke:"),
    "weakness": ("Schwächen", "Schwäche:"),
    "opportunity": ("Chancen", "Chance:"),
    "threat": ("Risiken", "Risiko:"),
}
FOOTER = re.compile(r"· Seite \d+\s*$")


def pages(pdf: Path, mode: str) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    return pdf_text(pdf, mode=mode).split("\f")[:-1]


def squash(text: str) -> str:
    # Lines wrap and hyphenate differently in a table cell: compare without those.
    return re.sub(r"[\s\-\u00ad]", "", text)


def sample_cards() -> list[tuple[str, str]]:
    """(quadrant, text) of every card the demo's samples put into the groups of both forums."""
    return [
        (c["quadrant"], c["text"])
        for sample in SAMPLES
        for group in tomllib.loads(sample.read_text(encoding="utf-8"))["group"]
        for c in group.get("card", [])
    ]


def test_contents_page_lists_the_chapter_with_page_numbers(whole_process_pdf):
    texts = pages(whole_process_pdf, "-layout")
    assert texts[1].lstrip().startswith("Inhalt")
    # With two forums' measures the contents run on over the next page: read all its pages.
    contents = "".join(page for page in texts[1:] if re.search(r"\.{4,}\s*\d+\s*$", page, re.M))
    for heading in ("Zusammenfassung", "Leitziel 1", "Leitziel 2", "Leitziel 3", "Anhang"):
        assert re.search(rf"^\s*{heading}.*?\.{{4,}}\s*\d+\s*$", contents, re.M), heading
    assert re.search(r"^\s*M 1\.1 .*$", contents, re.M)


def test_no_page_but_the_title_is_nearly_empty(whole_process_pdf):
    texts = pages(whole_process_pdf, "-layout")
    # The record the export made before the plan chapter ran to 40 pages for this two-forum
    # sample (29 for the 1. Themenforum alone); measured with commit 8327cac on 2026-12-06.
    assert 8 <= len(texts) < 40
    for number, text in enumerate(texts[1:], start=2):
        lines = [line for line in text.splitlines() if line.strip() and not FOOTER.search(line)]
        assert len(lines) >= 5, (number, lines)


def test_no_page_shows_swot_cards_without_their_quadrant(whole_process_pdf):
    # A card's quadrant must be named above it on its own page: the repeated header row of a
    # matrix table that runs onto the page, or "Schwäche: „…“" where a measure quotes it.
    cards = [(quadrant, squash(text)[:40]) for quadrant, text in sample_cards()]
    found = 0
    for number, text in enumerate(pages(whole_process_pdf, "-raw"), start=1):
        page = squash(text)
        for quadrant, start in cards:
            if (position := page.find(start)) < 0:
                continue
            found += 1
            labels = [page.find(squash(label)) for label in LABELS[quadrant]]
            assert any(0 <= label < position for label in labels), (number, start)
    assert found >= len(cards)  # every card is somewhere, most twice (matrix and a measure)
