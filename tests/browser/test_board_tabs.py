"""The phone's board in real Chromium: one quadrant at a time, its card form in reach of a thumb."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import QUADRANTS, Participant
from forum.services import cards
from tests.browser.conftest import assert_accessible, join, open_quadrant

pytestmark = pytest.mark.browser

LABELS = {
    "strength": "Stärken",
    "weakness": "Schwächen",
    "opportunity": "Chancen",
    "threat": "Risiken",
}
SCREEN = 844  # the phone's screen height (390×844)
CARDS_EACH = 24
# A day's cards are a line or three on a phone.
TEXTS = [
    "Viele Vereine im Stadtteil",
    "Mehrsprachige Beratung in der Stadtteilbibliothek, dienstags und donnerstags",
    "Ehrenamtliche Lotsinnen begleiten Familien zu Ämtern, Ärztinnen und Schulen im Viertel",
]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR to keep them for a look, else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fill_board(live_app, join_code: str) -> None:
    """Give the group of the forum's newest phone 24 cards in each quadrant, every third its own."""
    with live_app.app_context():
        participant = db.session.execute(
            db.select(Participant)
            .join(Participant.forum)
            .filter_by(join_code=join_code)
            .order_by(Participant.id.desc())
            .limit(1)
        ).scalar_one()
        for quadrant in QUADRANTS:
            for n in range(CARDS_EACH):
                cards.store_card(
                    participant.group_id,
                    quadrant,
                    f"{TEXTS[n % 3]} ({n + 1})",
                    f"full-board-{quadrant}-{n}-{time.time_ns()}",
                    participant=participant if n % 3 == 0 else None,
                )
        db.session.remove()


def full_board(new_phone, live_forum, live_app, **options):
    """Open the board of a phone whose group has 24 cards in each quadrant."""
    forum = live_forum()
    phone = new_phone(**options)
    join(phone, forum)
    fill_board(live_app, forum.join_code)
    phone.goto(f"/j/{forum.join_code}/board")
    return phone, forum


def join_any(page, forum) -> None:
    """Join in whatever language the page speaks: the first radio, then the form's button."""
    page.goto(f"/j/{forum.join_code}")
    page.locator("input[name=org_type]").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/j/{forum.join_code}/group")


def composer_top(page, quadrant: str) -> float:
    """Return how far below the page's top the quadrant's card text field starts, in px."""
    return page.locator(f"#text-{quadrant}").evaluate(
        "field => field.getBoundingClientRect().top + window.scrollY"
    )


def scroll_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_with_24_cards_each_the_composer_is_within_two_screens(
    new_phone, live_forum, live_app, shots, java_script
):
    phone, _ = full_board(new_phone, live_forum, live_app, java_script_enabled=java_script)
    expect(phone.locator("#cards-threat .card")).to_have_count(CARDS_EACH)
    measured = {}
    for quadrant, label in LABELS.items():
        open_quadrant(phone, label)
        expect(phone.get_by_label(f"Neue Karte: {label}")).to_be_visible()
        # Only the chosen quadrant's cards are on the page.
        assert phone.locator(".cards .card:visible").count() == CARDS_EACH
        measured[quadrant] = (composer_top(phone, quadrant), scroll_height(phone))
    print(f"composer top / page scrollHeight at 390×844, 24 cards each: {measured}")
    for quadrant, (top, _height) in measured.items():
        assert top <= 2 * SCREEN, f"{quadrant}: the card form starts {top:.0f}px down"
    # The page holds one quadrant's cards, not four: the other three lists take no room.
    tallest = max(height for _top, height in measured.values())
    assert tallest < CARDS_EACH * 100 + 2 * SCREEN, f"the page is {tallest}px tall"
    if java_script:
        phone.screenshot(path=shots / "board-tabs-24-de-390.png")
        phone.screenshot(path=shots / "board-tabs-24-de-390-full.png", full_page=True)


def test_tabs_by_arrow_keys_and_by_tapping(new_phone, live_forum, live_app):
    phone, forum = full_board(new_phone, live_forum, live_app)
    tablist = phone.get_by_role("tablist", name="Felder der Matrix")
    tabs = tablist.get_by_role("tab")
    expect(tabs).to_have_count(4)
    strengths = tablist.get_by_role("tab", name="Stärken")
    expect(strengths).to_have_attribute("aria-selected", "true")
    expect(strengths).to_have_accessible_name("Stärken (24 Karten)")
    expect(phone.get_by_role("tabpanel")).to_have_count(1)  # hidden panels are not in the tree
    expect(phone.get_by_role("tabpanel")).to_contain_text("Neue Karte: Stärken")

    strengths.focus()
    phone.keyboard.press("ArrowRight")
    weaknesses = tablist.get_by_role("tab", name="Schwächen")
    expect(weaknesses).to_be_focused()
    expect(weaknesses).to_have_attribute("aria-selected", "true")
    expect(strengths).to_have_attribute("aria-selected", "false")
    expect(phone.get_by_label("Neue Karte: Schwächen")).to_be_visible()
    expect(phone.get_by_label("Neue Karte: Stärken")).to_be_hidden()
    # Only the chosen tab is a Tab stop; the next Tab goes into its panel, to the card form.
    expect(strengths).to_have_attribute("tabindex", "-1")
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("Neue Karte: Schwächen")).to_be_focused()

    weaknesses.focus()
    phone.keyboard.press("End")
    expect(tablist.get_by_role("tab", name="Risiken")).to_be_focused()
    phone.keyboard.press("ArrowRight")  # round to the first
    expect(strengths).to_have_attribute("aria-selected", "true")
    phone.keyboard.press("ArrowLeft")
    expect(phone.get_by_label("Neue Karte: Risiken")).to_be_visible()

    tablist.get_by_role("tab", name="Chancen").click()
    expect(phone.get_by_label("Neue Karte: Chancen")).to_be_visible()
    expect(phone.get_by_label("Neue Karte: Risiken")).to_be_hidden()
    assert "q=opportunity" in phone.url
    phone.reload()  # the chosen quadrant is kept
    expect(phone.get_by_label("Neue Karte: Chancen")).to_be_visible()
    assert_accessible(phone)

    # The counts follow the group's cards live.
    with live_app.app_context():
        group_id = db.session.execute(
            db.select(Participant.group_id)
            .join(Participant.forum)
            .filter_by(join_code=forum.join_code)
        ).scalar_one()
        cards.store_card(group_id, "threat", "Förderung läuft aus", f"count-{time.time_ns()}")
        db.session.remove()
    expect(tablist.get_by_role("tab", name="Risiken")).to_have_accessible_name(
        "Risiken (25 Karten)", timeout=3000
    )


def test_arrow_keys_follow_the_tabs_right_to_left_in_arabic(new_phone, live_forum, base_url):
    forum = live_forum()
    phone = new_phone()
    phone.context.add_cookies([{"name": "lang", "value": "ar", "url": base_url}])
    join_any(phone, forum)
    phone.goto(f"/j/{forum.join_code}/board")
    tabs = phone.get_by_role("tablist").get_by_role("tab")
    first, second = tabs.nth(0), tabs.nth(1)
    assert first.bounding_box()["x"] > second.bounding_box()["x"]  # Stärken on the right
    first.focus()
    phone.keyboard.press("ArrowLeft")  # towards the second tab, on the left
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-selected", "true")
    expect(phone.locator("#text-weakness")).to_be_visible()
    phone.keyboard.press("ArrowRight")
    expect(first).to_have_attribute("aria-selected", "true")


def test_tab_links_work_without_javascript(new_phone, live_forum):
    forum = live_forum()
    phone = new_phone(java_script_enabled=False)
    join(phone, forum)
    phone.goto(f"/j/{forum.join_code}/board")
    links = phone.get_by_role("navigation", name="Felder der Matrix").get_by_role("link")
    expect(links).to_have_count(4)
    expect(links.first).to_have_attribute("aria-current", "true")
    expect(phone.get_by_label("Neue Karte: Schwächen")).to_be_hidden()

    links.nth(1).click()
    phone.wait_for_url("**/board?q=weakness#q-weakness")
    expect(links.nth(1)).to_have_attribute("aria-current", "true")
    expect(links.first).not_to_have_attribute("aria-current", "true")
    field = phone.get_by_label("Neue Karte: Schwächen")
    expect(field).to_be_visible()
    expect(phone.get_by_label("Neue Karte: Stärken")).to_be_hidden()

    # Saved: the same quadrant again, the message between its form and its cards.
    field.fill("Zu wenig Räume am Abend")
    phone.get_by_role("button", name="Karte hinzufügen").click()
    phone.wait_for_url("**/board?q=weakness#q-weakness")
    status = phone.locator("#q-weakness").get_by_role("status")
    expect(status).to_have_text("Karte gespeichert.")
    assert_beside_form(phone, "weakness", status)
    expect(links.nth(1)).to_have_accessible_name("Schwächen (1 Karte)")

    # Refused: the same quadrant, the text kept, the error at the field.
    too_long = "Ehrenamt braucht Anerkennung. " * 20
    field.fill(too_long)
    phone.get_by_role("button", name="Karte hinzufügen").click()
    expect(field).to_have_value(too_long.strip())
    expect(field).to_be_visible()
    assert_beside_form(phone, "weakness", phone.locator("#text-weakness-error"))


def assert_beside_form(page, quadrant: str, message) -> None:
    """The message is in the quadrant's panel, right at its form, and on the screen."""
    expect(message).to_be_visible()
    inside = "(el, id) => document.getElementById(id).contains(el)"
    assert message.evaluate(inside, f"q-{quadrant}"), "the message is outside the quadrant"
    button = page.locator(f"#q-{quadrant}").get_by_role("button", name="Karte hinzufügen")
    below, box = button.bounding_box(), message.bounding_box()
    gap = box["y"] - (below["y"] + below["height"])
    assert -300 < gap < 60, f"the message is {gap:.0f}px from the form's button"
    expect(message).to_be_in_viewport()


def test_every_message_appears_beside_the_form_used(new_phone, live_forum, live_app):
    phone, _ = full_board(new_phone, live_forum, live_app)
    open_quadrant(phone, "Chancen")
    field = phone.get_by_label("Neue Karte: Chancen")
    button = phone.locator("#q-opportunity").get_by_role("button", name="Karte hinzufügen")
    status = phone.locator("#status-opportunity")

    field.fill("Leerstehende Ladenlokale als Treffpunkte")
    button.click()
    expect(status).to_have_text("Karte gespeichert.")
    assert_beside_form(phone, "opportunity", status)
    expect(phone.locator("#q-opportunity")).to_be_visible()

    button.click()  # an empty card, a moment later: no error; later: the field says why
    phone.wait_for_timeout(2100)
    button.click()
    error = phone.locator("#text-opportunity-error")
    expect(error).to_have_text("Bitte schreiben Sie etwas auf die Karte.")
    assert_beside_form(phone, "opportunity", error)

    phone.context.set_offline(True)
    field.fill("Sprachcafé im Nachbarschaftszentrum")
    button.click()
    expect(status).to_contain_text("Keine Verbindung")
    assert_beside_form(phone, "opportunity", status)
    waiting = phone.locator("#q-opportunity [data-pending]")
    expect(waiting).to_be_in_viewport()  # the card on its way is seen where it was typed
    phone.context.set_offline(False)
    expect(status).to_have_text("Karte gespeichert.", timeout=8000)

    sent = []

    def throttle_first(route):
        sent.append(1)
        if len(sent) == 1:
            route.fulfill(status=429, headers={"Retry-After": "2"}, body="")
        else:
            route.continue_()

    phone.route("**/cards", throttle_first)
    field.fill("Dolmetschpool für Elterngespräche")
    button.click()
    expect(status).to_contain_text("Viele Karten kurz nacheinander")
    assert_beside_form(phone, "opportunity", status)
    expect(status).to_have_text("Karte gespeichert.", timeout=6000)

    phone.unroute("**/cards")
    phone.route(
        "**/cards",
        lambda route: route.fulfill(
            status=422,
            content_type="application/json",
            body='{"errors": {"text": ["Die Karte ist zu lang."]}, "text": "Lang"}',
        ),
    )
    field.fill("Lang")
    button.click()
    expect(error).to_have_text("Die Karte ist zu lang.")
    expect(field).to_have_value("Lang")
    assert_beside_form(phone, "opportunity", error)
    expect(phone.get_by_role("tab", name="Chancen")).to_have_attribute("aria-selected", "true")
    assert_accessible(phone)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_tabs_pass_axe_and_are_looked_at(new_phone, live_forum, live_app, base_url, shots, lang):
    forum = live_forum()
    for size in ({}, {"viewport": {"width": 1366, "height": 768}, "is_mobile": False}):
        page = new_phone(**size)
        page.context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
        join_any(page, forum)
        page.goto(f"/j/{forum.join_code}/board")
        if not page.locator("#cards-strength .card").count():
            fill_board(live_app, forum.join_code)
            page.reload()
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        page.get_by_role("tab").nth(2).click()
        assert_accessible(page)
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=shots / f"board-tabs-{lang}-{width}.png")
    # The tabs as links, as a phone without JavaScript gets them (axe itself needs JavaScript).
    page.route("**/tabs.js", lambda route: route.abort())
    page.reload()
    expect(page.locator("[data-tabs] a[aria-current=true]")).to_have_count(1)
    assert_accessible(page)
