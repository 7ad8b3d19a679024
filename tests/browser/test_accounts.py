"""The accounts pages in real Chromium at 1366×768: edit only what changed, never lock out."""

import itertools
import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import User
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "richtig-gutes-passwort"
SCREEN = {"width": 1366, "height": 768}
SHOTS = "/tmp/seedacct-screens"
_numbers = itertools.count(1)


def make_account(live_app, role: str, name: str) -> tuple[int, str]:
    username = f"konto-{role}-{next(_numbers)}"
    with live_app.app_context():
        user = User(username=username, display_name=name, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id, username


def stored(live_app, username: str) -> User | None:
    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


@pytest.fixture
def planner_1366(browser, base_url, live_app):
    """A planner signed in on a 1366×768 laptop screen; yields (page, username)."""
    _, username = make_account(live_app, "planner", "Sozialplanung")
    context = browser.new_context(base_url=base_url, locale="de-DE", viewport=SCREEN)
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, username, PASSWORD, "**/planner/")
    yield page, username
    context.close()


def edit_link(name: str, username: str) -> re.Pattern:
    """The accessible name of an account's edit link: "Bearbeiten: Fr. Kühn (kuehn)"."""
    return re.compile(rf"^Bearbeiten ?: {re.escape(name)} \({re.escape(username)}\)$")


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREEN["width"], width


def test_editing_an_account_changes_only_what_the_planner_changed(planner_1366, live_app):
    page, _ = planner_1366
    _, username = make_account(live_app, "moderator", "Fr. Kühn")
    before = stored(live_app, username)
    page.goto("/planner/accounts")
    assert_accessible(page)
    fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/accounts-1366.png")
    page.get_by_role("link", name=edit_link("Fr. Kühn", username)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fr. Kühn")
    # The role shown is the account's own, and the password field starts empty.
    expect(page.get_by_label("Rolle")).to_have_value("moderator")
    expect(page.get_by_label("Neues Passwort (leer lassen: bleibt)")).to_have_value("")
    assert_accessible(page)
    fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/account-edit-1366.png")
    page.get_by_label("Anzeigename").fill("Frau Kühn")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/planner/accounts")
    expect(page.get_by_role("status")).to_contain_text(f"Konto {username} gespeichert.")
    after = stored(live_app, username)
    assert (after.display_name, after.role) == ("Frau Kühn", "moderator")
    assert after.password_hash == before.password_hash
    assert after.session_version == before.session_version


def test_deleting_asks_for_confirmation_and_names_the_account(planner_1366, live_app):
    page, _ = planner_1366
    account_id, username = make_account(live_app, "moderator", "Hr. Weiß")
    page.goto(f"/planner/accounts/{account_id}/edit")
    page.get_by_role("button", name="Konto löschen").click()
    expect(page.get_by_text("Bitte bestätigen Sie das Löschen.")).to_be_visible()
    assert_accessible(page)
    assert stored(live_app, username) is not None
    page.get_by_label(f"Ja, das Konto Hr. Weiß ({username}) löschen").check()
    page.get_by_role("button", name="Konto löschen").click()
    page.wait_for_url("**/planner/accounts")
    expect(page.get_by_role("status")).to_contain_text(f"Konto {username} gelöscht.")
    assert stored(live_app, username) is None


def test_a_planner_sees_no_way_to_lock_themselves_out(planner_1366, live_app):
    page, username = planner_1366
    page.goto("/planner/accounts")
    page.get_by_role("link", name=edit_link("Sozialplanung", username)).click()
    expect(page.get_by_label("Rolle")).to_have_count(0)
    expect(page.get_by_role("button", name="Konto löschen")).to_have_count(0)
    expect(page.get_by_text("Ihr eigenes Konto")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/account-own-1366.png")
    page.get_by_label("Anzeigename").fill("Sozialplanung (Fr. Lenz)")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/planner/accounts")
    # Still signed in, still a planner.
    assert stored(live_app, username).role == "planner"
    page.goto("/planner/")
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    assert "/login" not in page.url
