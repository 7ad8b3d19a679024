"""Privacy in real Chromium: the notice one tap from the join form, and the planner's purge."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import User
from tests.browser.conftest import assert_accessible, open_quadrant, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR to keep them for a look, else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_notice_is_one_tap_from_the_join_form_and_reads_on_a_phone(
    new_phone, live_forum, shots
):
    forum = live_forum()
    phone = new_phone()
    phone.goto(f"/j/{forum.join_code}")
    hint = phone.locator("main p.hint", has_text="Name und Organisation sind freiwillig")
    hint.get_by_role("link", name="Datenschutz").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Datenschutz")
    expect(phone.get_by_role("heading", name="Für dieses Forum")).to_be_visible()
    expect(phone.get_by_text("werden 30 Tage nach dem Forum gelöscht")).to_be_visible()
    for heading in ["Wer ist verantwortlich?", "Was wird gespeichert?", "Ihre Rechte"]:
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    # Readable at 390 px: nothing scrolls sideways, body text at least 16 px, lines not cramped.
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    size, height = phone.locator("main li").first.evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), parseFloat(getComputedStyle(e).lineHeight)]"
    )
    assert size >= 16 and height >= 1.4 * size
    assert_accessible(phone)
    phone.screenshot(path=shots / "privacy-390.png", full_page=True)

    # And back to the form, where nothing is lost by having looked.
    phone.get_by_role("link", name="Zurück zum Forum").click()
    expect(phone.get_by_role("button", name="Teilnehmen")).to_be_visible()


def test_planner_purges_a_forum_with_the_button(new_phone, live_forum, planner_page, shots):
    forum = live_forum()
    phone = new_phone()
    phone.goto(f"/j/{forum.join_code}")
    phone.get_by_label("Ehrenamt", exact=True).check()
    phone.get_by_label("Name (freiwillig)").fill("Erika Mustermann")
    phone.get_by_label("Organisation (freiwillig)").fill("Stadtteilverein Pieschen")
    phone.get_by_role("button", name="Teilnehmen").click()
    phone.wait_for_url(f"**/j/{forum.join_code}/group")

    page = planner_page
    page.goto(f"/planner/forums/{forum.slug}")
    privacy = page.locator("section.privacy-admin")
    expect(privacy).to_contain_text("davon 1 mit Name oder Organisation")
    privacy.get_by_role("link", name="Liste der Teilnehmenden").click()
    expect(page.get_by_role("cell", name="Erika Mustermann")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Personenbezogene Daten löschen …").click()
    expect(page.get_by_role("heading", name="Was gelöscht wird")).to_be_visible()
    expect(page.get_by_role("heading", name="Was bleibt")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=shots / "purge-confirm-1280.png", full_page=True)
    page.get_by_role("button", name="Jetzt endgültig löschen").click()

    expect(page.get_by_text("Personenbezogene Daten von 1 Teilnehmenden gelöscht.")).to_be_visible()
    expect(privacy).to_contain_text("Personenbezogene Daten gelöscht am")
    expect(privacy.get_by_role("link", name="Personenbezogene Daten löschen …")).to_have_count(0)
    expect(page.get_by_text("Der Beitritt ist geschlossen.")).to_be_visible()
    assert "Erika Mustermann" not in page.content()
    page.screenshot(path=shots / "purged-forum-1280.png", full_page=True)
    privacy.get_by_role("link", name="Liste der Teilnehmenden").click()
    expect(page.get_by_role("cell", name="Ehrenamt")).to_be_visible()
    for gone in ["Erika Mustermann", "Stadtteilverein Pieschen"]:
        expect(page.get_by_text(gone)).to_have_count(0)

    # The phone's link to its participant is gone too.
    phone.goto(f"/j/{forum.join_code}/board")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dieses Forum ist nicht verfügbar")


def test_no_request_leaves_the_servers_origin(new_phone, live_forum, live_app, base_url):
    forum = live_forum()
    foreign = []

    def watch(page):
        # Without the CSP in the way, a reference to another server becomes a real request.
        page.on("request", lambda request: _note_foreign(request.url, base_url, foreign))
        return page

    phone = watch(new_phone(bypass_csp=True))
    phone.goto(f"/j/{forum.join_code}")
    phone.locator("main").get_by_role("link", name="Datenschutz").click()
    phone.go_back()
    phone.get_by_label("Migrant*innenorganisation", exact=True).check()
    phone.get_by_role("button", name="Teilnehmen").click()
    phone.get_by_role("link", name="Zur 4-Feldermatrix").click()
    open_quadrant(phone, "Chancen")
    phone.get_by_label("Neue Karte: Chancen").fill("Mehrsprachige Lotsen im Stadtteil")
    phone.locator("#q-opportunity").get_by_role("button", name="Karte hinzufügen").click()
    expect(phone.get_by_text("Mehrsprachige Lotsen im Stadtteil")).to_be_visible()
    phone.get_by_role("link", name="Ziele und Maßnahmen").click()
    phone.wait_for_timeout(2000)  # let the live updates poll a few times

    with live_app.app_context():
        user = User(username="ursprung", display_name="Sozialplanung", role="planner")
        user.set_password("richtig-gutes-passwort")
        db.session.add(user)
        db.session.commit()
    desk = watch(
        new_phone(bypass_csp=True, viewport={"width": 1280, "height": 900}, is_mobile=False)
    )
    sign_in(desk, "ursprung", "richtig-gutes-passwort", "**/planner/")
    for path in ["", "/participants", "/purge", "/edit", "/print/poster"]:
        desk.goto(f"/planner/forums/{forum.slug}{path}")
    desk.wait_for_timeout(1000)

    assert foreign == []


def _note_foreign(url: str, base_url: str, foreign: list) -> None:
    parts = urlsplit(url)
    # data: and blob: stay on the device; everything else must go to this server.
    if parts.scheme in ("data", "blob"):
        return
    if f"{parts.scheme}://{parts.netloc}" != base_url:
        foreign.append(url)
