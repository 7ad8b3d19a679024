"""The projector view in real Chromium at beamer size: accessible, keys, pause, live, timer."""

import itertools
import random
import re
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Card, Forum, Group, User, Vote
from forum.services import cards, moderation, voting
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
    expect(page.locator("#measures tr").first).to_contain_text("Sprachcafé")
    sizes = page.evaluate(
        "['body', 'h1', '.quadrant h3', '.ranking td'].map("
        "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
    )
    body, h1, quadrant, cell = sizes
    # 1280×720: type follows the screen's height, so this is the smallest beamer's slide.
    assert body >= 22 and cell >= 16 and h1 > quadrant > body, sizes
    assert_accessible(page)
    page.get_by_role("button", name="Aktualisierung pausieren").click()
    page.get_by_role("button", name="Start").click()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "projector.png"))


def test_arrow_keys_step_through_the_groups_for_a_planner(sign_in, groups, live_app, tmp_path):
    fill(live_app, groups[0])
    page = sign_in(role="planner", start=projector(groups[0]))
    # The slide fits the screen, so a clicker's PageDown steps on at once (it would first
    # scroll down on a screen too small for the slide).
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
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
    empty = page.locator(".q-opportunity").get_by_text("Noch keine Karten.")
    expect(empty).to_be_visible()
    expect(page.get_by_text("Noch keine Maßnahmen.")).to_be_visible()
    assert_accessible(page)  # the empty slide too
    with live_app.app_context():
        cards.store_card(groups[1], "opportunity", "Schulen öffnen ihre Aulen", "live-1")
    expect(page.locator("#cards-opportunity")).to_contain_text(
        "Schulen öffnen ihre Aulen", timeout=3000
    )
    expect(empty).to_be_hidden()


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


CARD_TEXTS = [
    "Stadtteilvereine sind gut vernetzt",
    "Engagierte Nachbarschaftshilfe in fast allen Quartieren",
    "Kurze Wege zur Verwaltung",
    "Viele Ehrenamtliche mit Erfahrung in der Arbeit mit Geflüchteten und Familien",
    "Gute Zusammenarbeit mit den Schulen",
    "Bibliothek als offener Ort",
    "Sprachkurse am Abend werden gut angenommen, die Wartelisten sind aber lang",
    "Kirchengemeinden öffnen ihre Räume",
]
BIG_GROUP = {"strength": 14, "weakness": 10, "opportunity": 9, "threat": 7}  # 40 cards
SCREENS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]


def fill_many(live_app, group_id) -> None:
    """Give a group 40 cards of everyday length and twelve measures with goals and owners."""
    with live_app.app_context():
        for quadrant, count in BIG_GROUP.items():
            for number in range(count):
                text = f"{CARD_TEXTS[number % len(CARD_TEXTS)]} ({number + 1})"
                cards.store_card(group_id, quadrant, text, f"many-{group_id}-{quadrant}-{number}")
        for number in range(12):
            item = moderation.add_measure(
                group_id,
                "Mehr Menschen im Quartier erreichen und Angebote bekannter machen",
                f"Maßnahme {number + 1}: Sprachcafé mit Kinderbetreuung im Stadtteilzentrum",
                f"many-m-{group_id}-{number}",
            )
            item.owner, item.horizon = "Quartiersmanagement Nord", "medium"
            db.session.add_all(Vote(measure_id=item.id) for _ in range(12 - number))
            db.session.commit()


def assert_fits_the_screen(page) -> None:
    """The slide needs no scrolling; headings, cards and rows shown lie inside their boxes."""
    fit = page.evaluate(
        """() => {
        const root = document.documentElement;
        const inside = (box, outer) => box.top >= outer.top - 0.5 && box.bottom <= outer.bottom + 0.5
            && box.left >= outer.left - 0.5 && box.right <= outer.right + 0.5;
        const screen = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
        const headings = ['#h-strength', '#h-weakness', '#h-opportunity', '#h-threat', '#h-measures']
            .filter(s => !inside(document.querySelector(s).getBoundingClientRect(), screen));
        const clipped = [...document.querySelectorAll('.card, #measures > tr')]
            .filter(e => e.offsetParent !== null)
            .filter(e => !inside(e.getBoundingClientRect(),
                                 e.closest('.cards, .measures').getBoundingClientRect()))
            .map(e => e.id);
        return {scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth,
                innerHeight, innerWidth, headings, clipped};
    }"""
    )
    assert fit["scrollHeight"] <= fit["innerHeight"], fit
    assert fit["scrollWidth"] <= fit["innerWidth"], fit
    assert fit["headings"] == [] and fit["clipped"] == [], fit


def assert_one_line(page, selector) -> None:
    """The element is one line box high, so its text did not wrap."""
    height, line = page.evaluate(
        f"""() => {{ const e = document.querySelector('{selector}'); const s = getComputedStyle(e);
        return [e.getBoundingClientRect().height, parseFloat(s.lineHeight)]; }}"""
    )
    assert abs(height - line) < 1, (selector, height, line)


@pytest.mark.parametrize("screen", SCREENS, ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("many", [False, True], ids=["few", "many"])
def test_the_slide_fits_the_beamer_without_scrolling(
    sign_in, groups, live_app, screen, many, tmp_path
):
    (fill_many if many else fill)(live_app, groups[0])
    # A planner's slide has the most in its bar: links to the previous and the next group.
    page = sign_in(role="planner", start="/planner/")
    page.set_viewport_size(screen)
    page.clock.install()
    page.goto(projector(groups[0]))
    name = f"fit-{'many' if many else 'few'}-{screen['width']}"
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    assert_fits_the_screen(page)
    assert_one_line(page, "#timer-display")
    if many:
        # 14 strengths: 10 shown and a line for the rest; 12 measures: the top 8 shown.
        expect(page.locator("#cards-strength > .card:visible")).to_have_count(10)
        expect(page.locator("#more-strength")).to_have_text("+4 weitere")
        expect(page.locator("#more-threat")).to_be_hidden()
        expect(page.locator("#measures > tr:visible")).to_have_count(8)
        expect(page.locator("#more-measures")).to_have_text("+4 weitere")
        sizes = page.evaluate(
            "['.card', '.ranking td'].map("
            "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
        )
        # Smaller, still readable from the back at 1080 lines (the type follows the height).
        assert min(sizes) >= screen["height"] / 56, sizes
    else:
        expect(page.locator(".more:visible")).to_have_count(0)
    page.get_by_role("button", name="Start").click()
    page.clock.fast_forward("10:01")
    expect(page.locator("#timer-display")).to_have_text("Zeit abgelaufen")
    assert_one_line(page, "#timer-display")
    assert_fits_the_screen(page)
    assert_accessible(page)


SAME_AS_FRESH = """async () => {
    const fresh = new DOMParser().parseFromString(
        await (await fetch(location.href, {cache: 'no-store'})).text(), 'text/html');
    const shown = doc => ['.swot', '.measures'].map(s => doc.querySelector(s).innerHTML
        .replace(/>\\s+</g, '><').trim()).join('|');
    return shown(document) === shown(fresh);
}"""


def settle(page, seconds: float = 6) -> None:
    """Wait until the slide, updated by its polls alone, equals a fresh load of the page."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(SAME_AS_FRESH):
        assert time.monotonic() < deadline, "the live slide differs from a fresh load"
        page.wait_for_timeout(200)


def test_live_deltas_leave_the_slide_as_a_fresh_load_shows_it(sign_in, groups, live_app):
    """A random run of adds, edits, moves, merges, hides, deletes and dots, applied live."""
    group_id = groups[0]
    page = sign_in(group_ids=[group_id], start=projector(group_id))
    rng = random.Random(15)
    quadrants = list(BIG_GROUP)
    seen = set()

    def step(number):
        shown = [c for items in cards.board(group_id).values() for c in items]
        listed = [m for m, _ in voting.ranking(group_id)]
        kind = rng.choice(["add", "add", "add", "edit", "move", "merge", "hide", "delete",
                           "measure", "dot", "dot", "undot", "hide-measure"])  # fmt: skip
        if kind == "add" or not shown:
            text = f"{rng.choice(CARD_TEXTS)} ({number})"
            cards.store_card(group_id, rng.choice(quadrants), text, f"eq-{group_id}-{number}")
        elif kind == "edit":
            card = rng.choice(shown)
            cards.edit_card(card, card.text + " – ergänzt", card.quadrant, card.version)
        elif kind == "move":
            moderation.move_card(rng.choice(shown), rng.choice(quadrants))
        elif kind == "merge" and len(shown) > 1:
            moderation.merge_cards(rng.sample(shown, 2))
        elif kind == "hide":
            moderation.set_hidden(rng.choice(shown), True)
        elif kind == "delete":
            cards.delete_card(rng.choice(shown))
        elif kind == "measure" or not listed:
            moderation.add_measure(group_id, "Ziel", f"Maßnahme {number}", f"eq-m-{number}")
        elif kind == "dot":
            db.session.add(Vote(measure_id=rng.choice(listed).id))
            db.session.commit()
        elif kind == "undot":
            vote = db.session.execute(
                db.select(Vote).where(Vote.measure_id.in_([m.id for m in listed]))
            ).scalar()
            if vote:
                db.session.delete(vote)
                db.session.commit()
        elif kind == "hide-measure" and len(listed) > 2:
            moderation.set_measure_hidden(rng.choice(listed), True)
        seen.add(kind)

    with live_app.app_context():
        for number in range(8):
            step(number)
    settle(page)
    for round_ in range(8):
        with live_app.app_context():
            for number in range(round_ * 4 + 10, round_ * 4 + 14):
                step(number)
        settle(page)
    assert {"add", "edit", "move", "merge", "hide", "delete", "dot"} <= seen
