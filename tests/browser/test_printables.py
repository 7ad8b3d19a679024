"""Print views in real Chromium: accessible on screen, without site chrome on paper, right paper size."""

import re
import shutil
import subprocess

import pytest

from forum.extensions import db
from forum.models import Forum
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)
A3_LANDSCAPE = (1191, 842)


@pytest.fixture
def print_forum(live_forum, live_app):
    """An open forum of four groups; carries the address of its print views and a group id."""
    forum = live_forum()
    with live_app.app_context():
        row = db.session.execute(db.select(Forum).filter_by(slug=forum.slug)).scalar_one()
        forum.group_id = row.groups[0].id
    forum.base = f"/planner/forums/{forum.slug}/print"
    return forum


def pdf_pages(path) -> list[tuple[int, int]]:
    """Return each PDF page's size in points, snapped to the paper sizes we print on."""
    if not shutil.which("pdfinfo"):
        pytest.fail("pdfinfo is missing: apt-get install poppler-utils")
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    # Chromium rounds the paper to whole CSS pixels: A4 comes out as 595.92 × 842.88 pt.
    return [_snap(float(w), float(h)) for w, h in sizes]


def _snap(width: float, height: float) -> tuple[float, float]:
    for size in (A4_PORTRAIT, A4_LANDSCAPE, A3_LANDSCAPE):
        if abs(width - size[0]) < 2 and abs(height - size[1]) < 2:
            return size
    return (width, height)


def raster(pdf, tmp_path, dpi: int) -> list:
    """Render every page of a PDF to PNG and return the files in page order."""
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(tmp_path.glob(f"{pdf.stem}-*.png"))


@pytest.mark.parametrize("view", ["poster", "table-cards", "worksheets", "worksheet"])
def test_print_views_are_accessible_and_lose_the_site_chrome_on_paper(
    planner_page, print_forum, view
):
    page = planner_page
    url = f"{print_forum.base}/{view}"
    page.goto(f"{url}/{print_forum.group_id}" if view == "worksheet" else url)
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.get_by_role("link", name="Zurück zum Forum").is_visible()
    assert page.get_by_role("button", name="Drucken").is_visible()  # print.js revealed it
    assert_accessible(page)

    page.emulate_media(media="print")
    for selector in ["header.site", ".print-bar"]:
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none"
    assert page.locator(".sheet").first.is_visible()


def test_poster_prints_on_one_a4_page_with_a_big_readable_code(planner_page, print_forum, tmp_path):
    page = planner_page
    page.goto(f"{print_forum.base}/poster")
    # Lay the page out as on paper: A4 inside the poster's 10 mm margins is 190 × 277 mm.
    page.set_viewport_size({"width": round(190 / 25.4 * 96), "height": round(277 / 25.4 * 96)})
    page.emulate_media(media="print")
    width = page.eval_on_selector(".poster-qr svg", "e => e.getBoundingClientRect().width")
    assert width / 96 * 2.54 >= 12, "the printed QR code must be at least 12 cm wide"

    pdf = tmp_path / "poster.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf_pages(pdf) == [A4_PORTRAIT]
    png = raster(pdf, tmp_path, 100)[0]
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    assert decoded.stdout.strip().endswith(f"/j/{print_forum.join_code}")


def test_worksheets_print_on_a3_landscape_one_sheet_per_group(planner_page, print_forum, tmp_path):
    page = planner_page
    page.goto(f"{print_forum.base}/worksheet/{print_forum.group_id}")
    one = tmp_path / "worksheet.pdf"
    page.pdf(path=str(one), prefer_css_page_size=True)
    assert pdf_pages(one) == [A3_LANDSCAPE]

    page.goto(f"{print_forum.base}/worksheets")
    every = tmp_path / "worksheets.pdf"
    page.pdf(path=str(every), prefer_css_page_size=True)
    assert pdf_pages(every) == [A3_LANDSCAPE] * 4


def test_table_cards_print_one_a4_landscape_card_per_group(planner_page, print_forum, tmp_path):
    page = planner_page
    page.goto(f"{print_forum.base}/table-cards")
    pdf = tmp_path / "table-cards.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf_pages(pdf) == [A4_LANDSCAPE] * 4
    raster(pdf, tmp_path, 50)  # a page that fails to render would raise here
