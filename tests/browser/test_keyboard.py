"""Keyboard alone, in real Chromium: the participant journey, a visible focus, the projector pause."""

import itertools
import re
import time

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Forum, User
from forum.services import cards, phases
from tests.browser.conftest import sign_in
from tests.test_phases import AGENDA

pytestmark = pytest.mark.browser

PASSWORD = "richtig-gutes-passwort"
_accounts = itertools.count(1)

# The focused element's rings (outline, box-shadow) and the background they are drawn on.
FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el), rings = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) rings.push(style.outlineColor);
  const shadow = style.boxShadow.match(/rgba?\\([^)]*\\)(?=.*\\b[2-9]px)/);
  if (shadow) rings.push(shadow[0]);
  let node = el.parentElement, background = 'rgb(255, 255, 255)';
  for (; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'transparent' && !/, 0\\)$/.test(colour)) { background = colour; break; }
  }
  return {rings, background, what: el.outerHTML.slice(0, 80)};
}"""


def luminance(colour: str) -> float:
    """Relative luminance of a CSS rgb()/rgba() colour, as WCAG defines it."""
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", colour)[:3])

    def linear(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_focus_visible(page) -> None:
    """The focused element shows a ring of at least 3:1 against what surrounds it (WCAG 1.4.11)."""
    ring = page.evaluate(FOCUS_RING)
    best = max((contrast(colour, ring["background"]) for colour in ring["rings"]), default=0)
    assert best >= 3, f"focus hardly visible ({best:.1f}:1) on {ring['what']}"


def tab_to(page, target, key="Tab", limit=60) -> None:
    """Press Tab until `target` has the focus, checking the focus ring at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{key} never reached {target}")


def start_phase(live_app, slug: str, key: str) -> None:
    """Run a work phase of the forum, as the planner's timer would."""
    with live_app.app_context():
        forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()
        phases.start(forum, next(i for i in phases.work_phases(forum) if i.phase == key))
        db.session.commit()


def test_participant_journey_by_keyboard_alone(new_phone, live_forum, live_app):
    forum = live_forum(agenda=AGENDA)
    start_phase(live_app, forum.slug, "swot")
    page = new_phone()
    page.goto(f"/j/{forum.join_code}")

    # The first Tab shows the skip link; Enter lands in the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Hauptamt", exact=True)).to_be_focused()  # the first thing to fill

    page.keyboard.press("ArrowDown")  # radio buttons: arrows choose
    expect(page.get_by_label("Ehrenamt", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label("Name (freiwillig)"))
    page.keyboard.type("Amira")
    tab_to(page, page.get_by_label("Organisation (freiwillig)"))
    page.keyboard.type("Nachbarschaftshilfe Pieschen")
    tab_to(page, page.get_by_role("button", name="Teilnehmen"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/group*")

    tab_to(page, page.get_by_role("link", name="Zur 4-Feldermatrix"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/board*")

    # Two cards, one sent with Enter and one with Space; the tabs of the quadrants take arrows.
    for quadrant, text, key in [
        ("strength", "Viele Vereine im Stadtteil", "Enter"),
        ("weakness", "Zu wenig Räume am Abend", " "),
    ]:
        if quadrant == "weakness":
            tab_to(page, page.get_by_role("tab", name="Stärken"), "Shift+Tab")
            page.keyboard.press("ArrowRight")
            expect(page.get_by_role("tab", name="Schwächen")).to_be_focused()
        tab_to(page, page.locator(f"#text-{quadrant}"))
        page.keyboard.type(text)
        tab_to(page, page.locator(f"#q-{quadrant}").get_by_role("button", name="Karte hinzufügen"))
        page.keyboard.press("Space" if key == " " else key)
        expect(page.locator(f"#cards-{quadrant}")).to_contain_text(text)

    # Back to the first card and edit it: move it to Chancen with the arrow keys and change its text.
    tab_to(page, page.get_by_role("tab", name="Schwächen"), "Shift+Tab")
    page.keyboard.press("ArrowLeft")
    tab_to(page, page.locator("#cards-strength").get_by_role("link", name="Bearbeiten"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit*")
    tab_to(page, page.get_by_label("Text der Karte"))
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Stärken")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Chancen")).to_be_checked()
    tab_to(page, page.get_by_label("Text der Karte"))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Viele Vereine könnten Räume teilen")
    tab_to(page, page.get_by_role("button", name="Speichern"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/board*")
    expect(page.locator("#cards-opportunity")).to_contain_text("Viele Vereine könnten Räume teilen")
    expect(page.locator("#cards-strength")).not_to_contain_text("Viele Vereine")

    # The measure phase: propose (a missing title puts the cursor on it), then place a dot.
    start_phase(live_app, forum.slug, "goals")
    tab_to(page, page.get_by_role("link", name="Ziele und Maßnahmen"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/measures*")
    tab_to(page, page.get_by_label("Ziel (freiwillig)"))
    page.keyboard.type("Räume für Vereine öffnen")
    tab_to(page, page.get_by_role("button", name="Vorschlagen"))
    page.keyboard.press("Enter")
    title = page.get_by_label("Maßnahme", exact=True)
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description("Bitte beschreiben Sie die Maßnahme.")
    expect(page.get_by_label("Ziel (freiwillig)")).to_have_value("Räume für Vereine öffnen")
    page.keyboard.type("Schulaulen abends für Vereine öffnen")
    tab_to(page, page.get_by_role("button", name="Vorschlagen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Maßnahme gespeichert.")).to_have_count(1)
    tab_to(page, page.get_by_role("button", name="Punkt setzen: Schulaulen abends"))
    page.keyboard.press("Space")
    expect(page.locator(".measure", has_text="Schulaulen")).to_contain_text("davon 1 von Ihnen")
    expect(page.locator(".dots-left")).to_contain_text("noch 2")


def test_every_focus_stop_on_the_staff_pages_shows_a_ring(planner_page, live_forum):
    forum = live_forum()
    planner_page.goto(f"/planner/forums/{forum.slug}")
    stops = 0
    # Through the header, the language switch, the forum's actions and forms, to the page's end.
    while stops < 200:
        planner_page.keyboard.press("Tab")
        if planner_page.evaluate("document.activeElement === document.body"):
            break
        assert_focus_visible(planner_page)
        stops += 1
    assert 10 < stops < 200


def test_projector_pause_is_reached_by_keyboard_and_holds_the_slide(
    browser, base_url, live_forum, live_app
):
    forum = live_forum()
    username = f"tasten-{next(_accounts)}"
    with live_app.app_context():
        user = User(username=username, display_name="Fr. Tasten", role="moderator")
        user.set_password(PASSWORD)
        group = (
            db.session.execute(db.select(Forum).filter_by(slug=forum.slug)).scalar_one().groups[0]
        )
        group.moderator = user
        db.session.commit()
        group_id = group.id
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, username, PASSWORD, "**/moderation/")
    page.goto(f"/moderation/groups/{group_id}/projector")

    toggle = page.get_by_role("button", name="Aktualisierung pausieren")
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    with live_app.app_context():
        cards.store_card(group_id, "opportunity", "Schulen öffnen ihre Aulen", "taste-1")
    time.sleep(3.5)  # more than two refresh intervals
    expect(page.locator("#cards-opportunity")).not_to_contain_text("Schulen öffnen ihre Aulen")
    page.keyboard.press("Space")  # the focus is still on the toggle
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#cards-opportunity")).to_contain_text("Schulen öffnen ihre Aulen")
    context.close()
