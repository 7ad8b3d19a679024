"""The projector view in real Chromium at beamer size: accessible, keys, pause, live, timer."""

import itertools
import re
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Card, Forum, Group, User, Vote
from forum.services import cards, moderation
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

BEAMER = {"width": 1280, "height": 720}
PASSWORD = "richtig-gutes-passwort"
_accounts = itertools.count(1)


@pytest.fixture
def groups(live_forum, live_app):
    """The ids of a new forum's four groups, in forum order."""
    forum = live_forum()
    with live_app.app_context():
        row = db.session.execute(db.select(Forum).filter_by(slug=forum.slug)).scalar_one()
        return [group.id for group in row.groups]


@pytest.fixture
def sign_in(browser, base_url, live_app):
    """Return a function that opens a 1280×720 browser signed in with a new account."""
    contexts = []

    def open_as(role="moderator", group_ids=(), start="/"):
        username = f"beamer-{next(_accounts)}"
        with live_app.app_context():
            user = User(username=username, display_name="Fr. Beamer", role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            for group_id in group_ids:
                db.session.get(Group, group_id).moderator = user
            db.session.commit()
        context = browser.new_context(base_url=base_url, locale="de-DE", viewport=BEAMER)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        page.goto(f"/login?next={start}")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.wait_for_url(f"**{start}")
        return page

    yield open_as
    for context in contexts:
        context.close()


def wait_until(page, expression: str, seconds: float = 3) -> None:
    """Poll a page expression; wait_for_function would need eval, which our CSP forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false: {expression}"
        page.wait_for_timeout(50)


def projector(group_id) -> str:
    return f"/moderation/groups/{group_id}/projector"


def fill(live_app, group_id) -> None:
    """Give a group cards in every quadrant and three measures with dots."""
    texts = {
        "strength": ["Stadtteilvereine sind gut vernetzt", "Engagierte Nachbarschaftshilfe"],
        "weakness": ["Zu wenig hauptamtliche Koordination"],
        "opportunity": ["Leerstehende Läden als Treffpunkte"],
        "threat": ["Ehrenamtliche brennen aus", "Förderung läuft 2026 aus"],
    }
    with live_app.app_context():
        for quadrant, items in texts.items():
            for text in items:
                cards.store_card(group_id, quadrant, text, f"k-{group_id}-{text}")
        twin = cards.store_card(group_id, "strength", "Vereine gut vernetzt", f"k-{group_id}-t")
        first = db.session.execute(
            db.select(Card).filter_by(group_id=group_id, quadrant="strength")
        ).scalar()
        moderation.merge_cards([first, twin])
        for title, dots, owner, horizon in [
            ("Sprachcafé im Stadtteil einrichten", 5, "Quartiersmanagement", "short"),
            ("Ehrenamtsbörse der Stadt bewerben", 3, "", "medium"),
            ("Lotsenprogramm für Neuzugezogene", 1, "", None),
        ]:
            item = moderation.add_measure(
                group_id, "Mehr Menschen erreichen", title, f"m-{group_id}-{title}"
            )
            item.owner, item.horizon = owner, horizon
            db.session.add_all(Vote(measure_id=item.id) for _ in range(dots))
            db.session.commit()


def test_projector_is_accessible_and_reads_like_a_slide(sign_in, groups, live_app, tmp_path):
    fill(live_app, groups[0])
    page = sign_in(group_ids=[groups[0]], start=projector(groups[0]))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Gruppe Orange"))
    expect(page.locator("#cards-strength")).to_contain_text("(×2)")
    expect(page.locator("#measures tbody tr").first).to_contain_text("Sprachcafé")
    sizes = page.evaluate(
        "['body', 'h1', '.quadrant h3', '.ranking td'].map("
        "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
    )
    body, h1, quadrant, cell = sizes
    assert body >= 24 and cell >= 24 and h1 > quadrant > body, sizes
    assert_accessible(page)
    page.get_by_role("button", name="Aktualisierung pausieren").click()
    page.get_by_role("button", name="Start").click()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "projector.png"))


def test_arrow_keys_step_through_the_groups_for_a_planner(sign_in, groups, live_app, tmp_path):
    fill(live_app, groups[0])
    page = sign_in(role="planner", start=projector(groups[0]))
    page.screenshot(path=str(tmp_path / "projector-full.png"), full_page=True)
    # A clicker's PageDown first scrolls down to the measures, then steps on at the bottom.
    page.keyboard.press("PageDown")
    wait_until(page, "window.scrollY > 0")
    assert page.url.endswith(projector(groups[0]))
    page.keyboard.press("End")
    wait_until(page, "window.scrollY + innerHeight >= document.body.scrollHeight - 2")
    page.keyboard.press("PageDown")
    page.wait_for_url(f"**{projector(groups[1])}")
    page.goto(projector(groups[0]))
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**{projector(groups[1])}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Gruppe Rot"))
    page.keyboard.press("PageUp")
    page.wait_for_url(f"**{projector(groups[0])}")
    page.keyboard.press("ArrowLeft")  # wraps around to the last group
    page.wait_for_url(f"**{projector(groups[3])}")


def test_new_card_appears_without_reload(sign_in, groups, live_app):
    page = sign_in(group_ids=[groups[1]], start=projector(groups[1]))
    expect(page.locator("#cards-opportunity")).to_contain_text("Noch keine Karten.")
    assert_accessible(page)  # the empty slide too
    with live_app.app_context():
        cards.store_card(groups[1], "opportunity", "Schulen öffnen ihre Aulen", "live-1")
    expect(page.locator("#cards-opportunity")).to_contain_text(
        "Schulen öffnen ihre Aulen", timeout=3000
    )


def test_pause_stops_polling_until_resumed(sign_in, groups, live_app):
    page = sign_in(group_ids=[groups[2]], start=projector(groups[2]))
    toggle = page.get_by_role("button", name="Aktualisierung pausieren")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("p")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#refresh-state")).to_have_text("Pausiert")
    page.wait_for_timeout(300)  # let a request already on its way finish
    polled = SimpleNamespace(count=0)
    page.on("request", lambda request: setattr(polled, "count", polled.count + 1))
    with live_app.app_context():
        cards.store_card(groups[2], "threat", "Räume fehlen am Abend", "pause-1")
    time.sleep(3)
    assert polled.count == 0
    expect(page.locator("#cards-threat")).not_to_contain_text("Räume fehlen am Abend")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#refresh-state")).to_have_text("Live")
    expect(page.locator("#cards-threat")).to_contain_text("Räume fehlen am Abend", timeout=3000)
    assert polled.count >= 1


def test_presentation_timer_counts_down_to_time_up(sign_in, groups):
    page = sign_in(group_ids=[groups[3]], start="/moderation/")
    page.clock.install()
    page.goto(projector(groups[3]))
    display = page.locator("#timer-display")
    expect(display).to_have_text("10:00")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(61_000)
    expect(display).to_have_text("8:59")
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(30_000)
    expect(display).to_have_text("8:59")
    page.get_by_role("button", name="Start").click()
    page.clock.fast_forward("10:00")
    expect(display).to_have_text("Zeit abgelaufen")
    expect(page.get_by_role("button", name="Start")).to_be_disabled()
    page.get_by_role("button", name="Zurücksetzen").click()
    expect(display).to_have_text("10:00")
