"""Every planner page fits a 1366×768 and a 1280×800 laptop without sideways scrolling."""

import re
from types import SimpleNamespace

import pytest

from forum.cli import DEMO_FORUM, prepare_demo
from forum.colours import contrast
from forum.extensions import db
from forum.models import Forum
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import PASSWORD, STAFF_PAGES, planner_account

pytestmark = pytest.mark.browser

LAPTOPS = [{"width": 1366, "height": 768}, {"width": 1280, "height": 800}]
PLANNER_PAGES = [(name, path) for name, path in STAFF_PAGES if path.startswith("/planner/")]


@pytest.fixture(scope="module")
def demo(live_app):
    """The demo's Dresden process with both sample forums' cards, measures and dots."""
    with live_app.app_context():
        prepare_demo(sample=True)
        first = db.session.execute(db.select(Forum).filter_by(slug=DEMO_FORUM)).scalar_one()
        # Each forum of the process (the second sample forum has six groups in three rooms).
        return [
            SimpleNamespace(forum=forum.slug, process=forum.process.slug, group=forum.groups[0].id)
            for forum in first.process.forums
            if forum.groups
        ]


def overflow(page) -> dict:
    """The page's width against the window, and the widest elements sticking out of it."""
    return page.evaluate(
        """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth,
            wide: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
                .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)})"""
    )


@pytest.mark.parametrize("screen", LAPTOPS, ids=["1366x768", "1280x800"])
def test_every_planner_page_fits_the_laptop_width(
    browser, base_url, live_app, demo, screen, tmp_path
):
    context = browser.new_context(base_url=base_url, locale="de-DE", viewport=screen)
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, planner_account(live_app), PASSWORD, "**/planner/")
    too_wide = []
    addresses = {
        (name, path.format(**vars(forum))): index
        for index, forum in enumerate(demo)
        for name, path in PLANNER_PAGES
    }
    assert len(addresses) > len(PLANNER_PAGES)  # pages of both forums
    for (name, address), index in addresses.items():
        assert page.goto(address).status == 200, address
        shot = re.sub(r"\W+", "-", f"{name}-{index}")
        page.screenshot(path=str(tmp_path / f"{shot}.png"), full_page=True, timeout=30000)
        measured = overflow(page)
        if measured["scrollWidth"] > measured["innerWidth"]:
            too_wide.append((name, measured))
    context.close()
    assert too_wide == []


def swatch_edges(page) -> list[tuple[str, float]]:
    """Each visible group swatch's border colour (as #rrggbb) and its width in pixels."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.swatch rect')]
            .filter(rect => rect.getBoundingClientRect().width > 0)
            .map(rect => { const s = getComputedStyle(rect);
                const rgb = s.stroke.match(/\\d+/g).slice(0, 3).map(Number);
                const box = rect.closest('svg').getBoundingClientRect();
                return ['#' + rgb.map(c => c.toString(16).padStart(2, '0')).join(''),
                        parseFloat(s.strokeWidth) * box.width / 10]; })"""
    )


def test_a_white_group_shows_a_visible_border_everywhere(
    browser, base_url, live_app, live_forum, new_phone
):
    forum = live_forum()
    with live_app.app_context():
        row = db.session.execute(db.select(Forum).filter_by(slug=forum.slug)).scalar_one()
        for group in row.groups:
            group.colour = "#FFFFFF"
        db.session.commit()
        group_id = row.groups[0].id
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, planner_account(live_app), PASSWORD, "**/planner/")
    phone = new_phone()
    phone.goto(f"/j/{forum.join_code}")
    phone.locator("input[name=org_type]").first.check()
    phone.get_by_role("button", name="Teilnehmen").click()
    phone.wait_for_url(f"**/j/{forum.join_code}/group")
    pages = [
        (page, f"/planner/forums/{forum.slug}"),
        (page, f"/moderation/groups/{group_id}"),
        (page, f"/moderation/groups/{group_id}/projector"),
        (phone, f"/j/{forum.join_code}/group"),
        (phone, f"/j/{forum.join_code}/board"),
    ]
    for browser_page, address in pages:
        browser_page.goto(address)
        edges = swatch_edges(browser_page)
        assert edges, address
        for colour, width in edges:
            # WCAG 1.4.11: 3:1 against the white page, at least a pixel wide.
            assert contrast(colour, "#ffffff") >= 3 and width >= 1, (address, colour, width)
    context.close()
