"""Privacy in real Chromium: the notice one tap from the join form, and the planner's purge."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

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
