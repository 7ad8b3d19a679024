"""The Auswertung in real Chromium: a planner curates themes by keyboard; a second planner's
change is reported instead of overwritten."""

import itertools

import pytest

from forum.extensions import db
from forum.models import Card, Forum, User
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "richtig-gutes-passwort"
_planners = itertools.count(1)
TANDEM = [
    "Tandempartnerschaften für Zahnarztbesuche fehlen",
    "Es fehlen Tandempartnerschaften für Zahnarztbesuche",
    "Fehlende Tandempartnerschaften für Zahnarztbesuche",
]
LIBRARY = [
    "Bibliotheksausweise für Geflüchtete kostenlos machen",
    "Kostenlose Bibliotheksausweise für Geflüchtete",
]
CHESS = "Der Schachclub in Pieschen sucht Mitglieder"


def add_cards(live_app, forum, cards) -> None:
    with live_app.app_context():
        groups = db.session.execute(db.select(Forum).filter_by(slug=forum.slug)).scalar_one().groups
        for n, (quadrant, text) in enumerate(cards):
            db.session.add(Card(group_id=groups[n % len(groups)].id, quadrant=quadrant, text=text))
        db.session.commit()


def open_as_new_planner(browser, base_url, live_app):
    username = f"auswertung-{next(_planners)}"
    with live_app.app_context():
        user = User(username=username, display_name="Sozialplanung", role="planner")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, username, PASSWORD, "**/planner/")
    return page


def theme_with(page, text):
    """The theme section that holds the card with this text (its checkbox is labelled by it)."""
    return page.locator("section.theme").filter(has=page.get_by_label(text))


def test_a_planner_curates_themes_by_keyboard(planner_page, live_app, live_forum):
    forum = live_forum()
    add_cards(live_app, forum, [("weakness", t) for t in TANDEM] + [("weakness", CHESS)])
    page = planner_page
    page.goto("/planner/processes/fachplan/auswertung")
    page.get_by_role("button", name="Themen vorschlagen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    theme = theme_with(page, TANDEM[0])
    assert all(theme.get_by_label(text).count() == 1 for text in TANDEM)
    title = theme.get_by_label("Titel")
    title.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Begleitung zum Zahnarzt")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    theme = theme_with(page, TANDEM[0])
    assert theme.get_by_role("heading", name="Begleitung zum Zahnarzt").count() == 1
    # The chess club card, on its own, joins the theme: Space ticks it, letters pick the target.
    singles = page.locator("#einzelnes-weakness")
    singles.get_by_label(CHESS).focus()
    page.keyboard.press("Space")
    singles.get_by_label("Angekreuzte Karten verschieben nach").focus()
    page.keyboard.type("Begleitung zum")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert theme_with(page, TANDEM[0]).get_by_label(CHESS).count() == 1
    # Themes survive a reload, and a new suggestion leaves the planner's theme as it is.
    with page.expect_navigation():
        page.get_by_role("button", name="Themen vorschlagen").click()
    kept = theme_with(page, CHESS)
    assert kept.get_by_role("heading", name="Begleitung zum Zahnarzt").count() == 1


def test_a_second_planner_is_told_and_keeps_the_typed_title(
    planner_page, browser, base_url, live_app, live_forum
):
    forum = live_forum()
    add_cards(live_app, forum, [("opportunity", t) for t in LIBRARY])
    first = planner_page
    first.goto("/planner/processes/fachplan/auswertung")
    with first.expect_navigation():
        first.get_by_role("button", name="Themen vorschlagen").click()
    second = open_as_new_planner(browser, base_url, live_app)
    second.goto("/planner/processes/fachplan/auswertung")
    theme_with(first, LIBRARY[0]).get_by_label("Titel").fill("Bibliothek für alle")
    with first.expect_navigation():
        theme_with(first, LIBRARY[0]).get_by_role("button", name="Umbenennen").click()
    theirs = theme_with(second, LIBRARY[0])
    theirs.get_by_label("Titel").fill("Lesen ohne Gebühr")
    with second.expect_navigation():
        theirs.get_by_role("button", name="Umbenennen").click()
    # The message comes back into the live region after a moment, so screen readers read it.
    second.locator("#status .flash.error").filter(has_text="inzwischen geändert").wait_for()
    assert theme_with(second, LIBRARY[0]).get_by_label("Titel").input_value() == "Lesen ohne Gebühr"
    assert (
        theme_with(second, LIBRARY[0]).get_by_role("heading", name="Bibliothek für alle").count()
        == 1
    )
    second.context.close()
