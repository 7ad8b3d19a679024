"""axe-core (WCAG 2.1 A/AA) on every page a person can reach, at 360 px and 1280 px, per language."""

import itertools
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import User, Vote
from forum.services import cards, duplicates, moderation
from forum.services.auswertung import workspace
from tests.browser.conftest import assert_accessible, open_quadrant, sign_in
from tests.conftest import create_forum

pytestmark = pytest.mark.browser

WIDTHS = [360, 1280]
PARTICIPANT_LANGUAGES = ["de", "en", "uk", "ar"]
STAFF_LANGUAGES = ["de", "en"]
PASSWORD = "richtig-gutes-passwort"

# Every page a person can reach. Placeholders are filled from the `site` fixture; pages reached
# by submitting a form (the join form and the board with an error) are visited on top.
PARTICIPANT_PAGES = [
    ("Beitritt", "/j/{code}"),
    ("Gruppe", "/j/{code}/group"),
    ("4-Feldermatrix", "/j/{code}/board"),
    ("Karte bearbeiten", "/j/{code}/cards/{own_card}/edit"),
    ("Ziele und Maßnahmen", "/j/{code}/measures"),
    ("Auswertungsveranstaltung", "/j/{event_code}/auswertung"),  # visited by a phone of the event
    ("Forum nicht verfügbar", "/j/{unknown_code}"),
    ("Seite nicht gefunden", "/gibt-es-nicht"),
    ("Kein Zugriff", "/planner/"),  # a staff page opened on a phone that joined
    ("Datenschutz", "/datenschutz"),
    ("Barrierefreiheit", "/barrierefreiheit"),
]
STAFF_PAGES = [
    ("Anmeldung", "/login"),
    ("Meine Gruppen", "/moderation/"),
    ("Konsole", "/moderation/groups/{group}"),
    ("Karte bearbeiten (Moderation)", "/moderation/groups/{group}/cards/{card}/edit"),
    ("Maßnahme vervollständigen", "/moderation/groups/{group}/measures/{measure}/edit"),
    ("Beamer-Ansicht", "/moderation/groups/{group}/projector"),
    ("Beamer: Priorisierung", "/moderation/forums/{event_forum}/auswertung"),
    ("Planung: Übersicht", "/planner/"),
    ("Forum", "/planner/forums/{forum}"),
    ("Forum bearbeiten", "/planner/forums/{forum}/edit"),
    ("Neues Forum", "/planner/processes/{process}/forums/new"),
    ("Neues Forum wie …", "/planner/processes/{process}/forums/new?like={forum}"),
    ("Veranstaltung löschen (mit Ergebnissen)", "/planner/forums/{forum}/delete"),
    ("Prozess bearbeiten", "/planner/processes/{process}/edit"),
    ("Neuer Prozess", "/planner/processes/new"),
    ("Teilnehmende", "/planner/forums/{forum}/participants"),
    ("Personenbezogene Daten löschen", "/planner/forums/{forum}/purge"),
    ("Konten", "/planner/accounts"),
    ("Doppelte Maßnahmen", "/planner/processes/{process}/duplicates"),
    ("Auswertung", "/planner/processes/{process}/auswertung"),
    ("Maßnahmen der Auswertung", "/planner/processes/{process}/auswertung/massnahmen"),
    ("Plakat", "/planner/forums/{forum}/print/poster"),
    ("Tischkarten", "/planner/forums/{forum}/print/table-cards"),
    ("Arbeitsblätter", "/planner/forums/{forum}/print/worksheets"),
    ("Arbeitsblatt einer Gruppe", "/planner/forums/{forum}/print/worksheet/{group}"),
]
# GET routes that are not pages, each with the reason it needs no axe check.
NOT_PAGES = {
    "static": "stylesheets and scripts",
    "health.healthz": "plain-text health check for the load balancer",
    "participant.board_live": "JSON for the board's live update",
    "participant.measures_live": "JSON for the measure list's live update",
    "participant.timer": "JSON for the phase timer",
    "moderator.console_live": "JSON for the console's live update",
    "moderator.projector_live": "JSON for the projector's live update",
    "moderator.event_projector_live": "JSON for the event projector's live update",
    "moderator.timer": "JSON for the phase timer",
    "planner.forum_overview": "JSON for the overview's live update",
    "planner.phase_timer": "JSON for the planner's timer",
    "planner.forum_csv": "CSV download",
    "planner.process_themes_csv": "CSV download of the consolidated SWOT's themes",
    "planner.forum_docx": "DOCX download (its structure is tested in tests/planner)",
    "planner.process_docx": "DOCX download (its structure is tested in tests/planner)",
    "planner.forum_pdf": "tagged PDF download (tested page by page in tests/planner)",
    "planner.process_pdf": "tagged PDF download (tested page by page in tests/planner)",
    "planner.process_backup": "JSON backup download",
    "planner.process_seed": "TOML seed download",
}
ERROR_PAGES = {"Forum nicht verfügbar": 404, "Seite nicht gefunden": 404, "Kein Zugriff": 403}
LONG_WORD = "Integrationsbeauftragtenkoordinierungsstellenfinanzierungsvereinbarung"
_accounts = itertools.count(1)


@pytest.fixture(scope="module")
def site(live_app):
    """A forum with cards, a merged and a hidden card, measures with dots and likely twins."""
    with live_app.app_context():
        forum = create_forum()
        groups = forum.groups
        for group in groups:
            for quadrant, text in [
                ("strength", "Stadtteilvereine sind gut vernetzt"),
                ("weakness", f"Es fehlt eine {LONG_WORD}"),
                ("opportunity", "Leerstehende Läden als Treffpunkte"),
                ("threat", "Förderung läuft 2026 aus"),
            ]:
                cards.store_card(group.id, quadrant, text, f"a11y-{group.id}-{quadrant}")
        first = groups[0]
        twin = cards.store_card(first.id, "strength", "Vereine gut vernetzt", f"a11y-t{first.id}")
        hidden = cards.store_card(first.id, "threat", "Unleserlich", f"a11y-h{first.id}")
        moderation.set_hidden(hidden, True)
        kept = db.session.execute(
            db.select(cards.Card).filter_by(group_id=first.id, quadrant="strength")
        ).scalar()
        moderation.merge_cards([kept, twin])
        measures = [
            moderation.add_measure(
                group.id, "Mehr Menschen erreichen", title, f"a11y-m{group.id}-{title}"
            )
            for group in groups[:2]
            for title in ["Sprachcafé im Stadtteil einrichten", "Ehrenamtsbörse bewerben"]
        ]
        db.session.add_all(Vote(measure_id=measures[0].id) for _ in range(3))
        duplicates.merge(measures[3], measures[1])
        workspace.suggest(forum.process)  # the Auswertung shows themes and single cards
        for theme in forum.process.themes[:2]:
            theme.for_plan = True  # the event's projector shows marked themes
        measures[0].decision = "adopt"  # the Auswertungsveranstaltung votes on it
        measures[0].guiding_goal = forum.process.guiding_goals[1]
        db.session.commit()
        event = create_forum(kind="evaluation", number=None, title="Auswertungsveranstaltung")
        return SimpleNamespace(
            code=forum.join_code,
            unknown_code="AAAAAAAAAAAAAAAAAAAAAA",
            forum=forum.slug,
            process=forum.process.slug,
            group=first.id,
            card=kept.id,
            measure=measures[0].id,
            event_code=event.join_code,
            event_forum=event.id,
        )


def planner_account(live_app) -> str:
    """Create a planner (who may also open every moderation page) and return the username."""
    username = f"a11y-{next(_accounts)}"
    with live_app.app_context():
        user = User(username=username, display_name="Sozialplanung", role="planner")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    return username


def set_language(page, lang: str) -> None:
    """Choose the interface language the way the language switch remembers it."""
    origin = urlsplit(page.url)
    cookie = {"name": "lang", "value": lang, "domain": origin.hostname, "path": "/"}
    page.context.add_cookies([cookie])


def check(page, name: str, failures: list[str]) -> None:
    """Run axe on the page as it is and note a failure under the page's name."""
    try:
        assert_accessible(page)
    except AssertionError as error:
        failures.append(f"{name} ({page.url}):\n{error}")


def visit(page, path: str, status: int = 200, lang: str | None = None) -> None:
    """Open a page and make sure it is the page meant, in the language meant, not an error."""
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    assert page.locator("h1").count() == 1, f"{path} has no single h1"
    lang = lang or next(c["value"] for c in page.context.cookies() if c["name"] == "lang")
    assert page.evaluate("document.documentElement.lang") == lang, f"{path} is not in {lang}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", PARTICIPANT_LANGUAGES)
def test_participant_pages_pass_axe(new_phone, base_url, site, lang, width):
    page = new_phone(viewport={"width": width, "height": 800})
    page.goto("/datenschutz")
    set_language(page, lang)
    failures: list[str] = []
    pages = dict(PARTICIPANT_PAGES)

    visit(page, pages["Beitritt"].format(**vars(site)))
    check(page, "Beitritt", failures)
    page.locator("form.stack button[type=submit]").click()  # nothing chosen: an error
    page.locator("[aria-invalid=true]").first.wait_for()
    check(page, "Beitritt mit Fehlermeldung", failures)
    page.locator("input[name=org_type]").first.check()
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"**/j/{site.code}/group")
    check(page, "Gruppe", failures)

    visit(page, pages["4-Feldermatrix"].format(**vars(site)))
    page.locator("#text-strength").fill("Mehrsprachige Beratung im Stadtteil")
    page.locator("#q-strength button[type=submit]").click()
    page.locator("#q-strength .flash").wait_for()
    check(page, "4-Feldermatrix nach dem Speichern", failures)
    page.locator("#tab-weakness").click()
    page.locator("#q-weakness button[type=submit]").click()  # empty card: an error
    page.locator("#text-weakness[aria-invalid=true]").wait_for()
    check(page, "4-Feldermatrix mit Fehlermeldung", failures)
    own_card = page.locator(".card.own a.card-edit").first.get_attribute("href")

    for name, path in PARTICIPANT_PAGES[3:]:
        if name == "Auswertungsveranstaltung":
            continue  # below, on a phone that joined the event
        path = path.format(**vars(site), own_card=own_card.split("/")[-2])
        # Staff pages, even their errors, come in German or English: here the browser's German.
        staff = path.startswith("/planner/") and lang not in STAFF_LANGUAGES
        visit(page, path, ERROR_PAGES.get(name, 200), "de" if staff else lang)
        check(page, name, failures)

    # The Auswertungsveranstaltung: its phones' board lists the adopted measures; one dot placed.
    page.goto(f"/j/{site.event_code}")
    page.locator("input[name=org_type]").first.check()
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"**/j/{site.event_code}/group")
    visit(page, dict(PARTICIPANT_PAGES)["Auswertungsveranstaltung"].format(**vars(site)))
    page.locator(f"#m-{site.measure} form[action$='/vote'] button").click()
    page.locator(f"#m-{site.measure} form[action$='/unvote']").wait_for()
    check(page, "Auswertungsveranstaltung", failures)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", STAFF_LANGUAGES)
def test_staff_pages_pass_axe(new_phone, live_app, site, lang, width):
    page = new_phone(viewport={"width": width, "height": 800}, is_mobile=False, has_touch=False)
    page.goto("/datenschutz")
    set_language(page, lang)
    failures: list[str] = []
    visit(page, "/login")
    check(page, "Anmeldung", failures)
    # The shared sign-in helper finds the fields by their German labels.
    set_language(page, "de")
    sign_in(page, planner_account(live_app), PASSWORD, "**/planner/")
    set_language(page, lang)
    for name, path in STAFF_PAGES[1:]:
        visit(page, path.format(**vars(site)))
        check(page, name, failures)
    assert not failures, "\n\n".join(failures)


def test_every_page_route_is_checked(live_app):
    # A new page must join the lists above (or NOT_PAGES with a reason) to be checked by axe.
    sample = {"code": "ABCDEFGHIJKLMNOPQRSTUV", "unknown_code": "AAAAAAAAAAAAAAAAAAAAAA"}
    sample |= {"own_card": 1, "group": 1, "card": 1, "measure": 1, "forum": "f", "process": "p"}
    sample |= {"event_code": "ABCDEFGHIJKLMNOPQRSTUW", "event_forum": 1}
    adapter = live_app.url_map.bind("localhost")
    checked = set()
    for name, path in PARTICIPANT_PAGES + STAFF_PAGES:
        if name not in ERROR_PAGES:
            route = path.format(**sample).split("?")[0]  # the query picks a variant of the page
            checked.add(adapter.match(route, method="GET")[0])
    get_routes = {
        rule.endpoint for rule in live_app.url_map.iter_rules() if "GET" in (rule.methods or ())
    }
    assert get_routes - checked - NOT_PAGES.keys() == set(), "pages no axe test opens"
    assert checked & NOT_PAGES.keys() == set()
    assert NOT_PAGES.keys() - get_routes == set(), "NOT_PAGES names routes that are gone"


def double_text_size(page) -> None:
    """Set Chromium's default font size from 16 to 32 px, as a reader does in its settings."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})


def test_nothing_scrolls_sideways_at_320_px_with_text_at_200_percent(
    new_phone, live_app, site, tmp_path
):
    phone = new_phone(viewport={"width": 320, "height": 640})
    double_text_size(phone)
    phone.goto(f"/j/{site.code}")
    pages = [phone.url]
    phone.locator("input[name=org_type]").first.check()
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url("**/group")
    pages += [
        f"/j/{site.code}/board",
        f"/j/{site.code}/measures",
        "/datenschutz",
        "/barrierefreiheit",
    ]
    staff = new_phone(viewport={"width": 320, "height": 640}, is_mobile=False, has_touch=False)
    sign_in(staff, planner_account(live_app), PASSWORD, "**/planner/")
    double_text_size(staff)
    wide = []
    for page, path in [(phone, path) for path in pages] + [
        (staff, f"/moderation/groups/{site.group}")
    ]:
        page.goto(path)
        # The setting really doubles the text: 32 px body text instead of 16 px.
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "32px"
        width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide.append(f"{path}: {width[0]} px wide in a {width[1]} px window")
            page.screenshot(path=str(tmp_path / f"wide-{len(wide)}.png"), full_page=True)
    assert wide == []


# Records what is written into a live region once the page has been parsed: what a screen
# reader is told about. Text present from the start is not announced.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener('DOMContentLoaded', () => {
  new MutationObserver(records => records.forEach(record => {
    const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    const region = node && node.closest('[role=status], [aria-live=polite], [aria-live=assertive]');
    if (region && region.textContent.trim()) window.announced.push(region.textContent.trim());
  })).observe(document.body, {childList: true, subtree: true, characterData: true});
});
"""


def announced(page, text: str) -> bool:
    """Whether `text` was written into a live region after the page loaded."""
    return any(text in entry for entry in page.evaluate("window.announced"))


def test_confirmations_are_announced_in_live_regions(new_phone, site):
    phone = new_phone()
    phone.context.add_init_script(RECORD_ANNOUNCEMENTS)
    phone.goto(f"/j/{site.code}")
    phone.locator("input[name=org_type]").first.check()
    phone.locator("form.stack button[type=submit]").click()
    phone.goto(f"/j/{site.code}/board")

    # A new card: the quadrant's status region (role=status, polite) says it was saved.
    open_quadrant(phone, "Chancen")
    phone.get_by_label("Neue Karte: Chancen").fill("Schulen öffnen ihre Aulen")
    phone.locator("#q-opportunity").get_by_role("button", name="Karte hinzufügen").click()
    region = phone.locator("#q-opportunity [role=status]")
    expect(region).to_have_text("Karte gespeichert.")
    assert region.get_attribute("aria-live") in (None, "polite")  # role=status is polite
    assert announced(phone, "Karte gespeichert.")

    # An edited card: the confirmation comes with the next page and is put in once more.
    phone.locator("#cards-opportunity").get_by_role("link", name="Bearbeiten").click()
    phone.get_by_label("Text der Karte").fill("Schulen öffnen ihre Aulen am Abend")
    phone.get_by_role("button", name="Speichern").click()
    status = phone.get_by_role("status").filter(has_text="Karte gespeichert.")
    expect(status).to_have_count(1)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(phone.locator("#cards-opportunity")).to_contain_text("am Abend")
    phone.wait_for_timeout(800)
    assert announced(phone, "Karte gespeichert.")
