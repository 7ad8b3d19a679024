"""Real Chromium (Debian's) against the app served from a thread on 127.0.0.1."""

import itertools
import os
import shutil
import threading
import time
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from forum.models import Forum, User
from tests import dbutil
from tests.conftest import create_forum

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_planners = itertools.count(1)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on its own database, served on a free port in a background thread."""
    uri = dbutil.migrated_database("_live", tmp_path_factory.mktemp("live"))
    app = create_app(dbutil.app_config(uri))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app):
    return live_app.config["BASE_URL"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (tests/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def new_phone(browser, base_url):
    """Return a function that opens a fresh phone (its own cookies) at 390×844."""
    contexts = []

    def open_phone(**options):
        context = browser.new_context(base_url=base_url, locale="de-DE", **{**PHONE, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def live_forum(live_app):
    """Return a function that creates an open forum in the served database."""

    def make(**kwargs) -> SimpleNamespace:
        with live_app.app_context():
            forum = create_forum(**kwargs)
            return SimpleNamespace(join_code=forum.join_code, slug=forum.slug)

    return make


def sign_in(page, username: str, password: str, lands_on: str) -> None:
    """Sign in through the login page, as a person would, and wait for the start page."""
    page.goto("/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url(lands_on)


def assert_accessible(page) -> None:
    """Fail with axe-core's report when the page has any WCAG 2.1 A/AA violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def join(page, forum, org_label="Hauptamt") -> str:
    """Join from a phone by the form and return the group name the phone is shown."""
    page.goto(f"/j/{forum.join_code}")
    page.get_by_label(org_label, exact=True).check()
    page.get_by_role("button", name="Teilnehmen").click()
    page.wait_for_url(f"**/j/{forum.join_code}/group")
    return page.locator(".group-name strong").inner_text()


def open_quadrant(page, label: str) -> None:
    """Show a quadrant of the phone's board by its tab (a plain link where JavaScript is off)."""
    tabs = page.locator("[data-tabs]")
    tab = tabs.get_by_role("tab", name=label).or_(tabs.get_by_role("link", name=label))
    panel = tab.get_attribute("data-panel")
    tab.click()
    page.locator(f"#{panel}").wait_for()


@pytest.fixture
def planner_page(browser, base_url, live_app):
    """A desktop browser (1280×900) signed in as a new planner of the served app."""
    username = f"druck-{next(_planners)}"
    with live_app.app_context():
        user = User(username=username, display_name="Sozialplanung", role="planner")
        user.set_password("richtig-gutes-passwort")
        db.session.add(user)
        db.session.commit()
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, username, "richtig-gutes-passwort", "**/planner/")
    yield page
    context.close()


@pytest.fixture
def staff_page(browser, base_url, live_app):
    """Return a function that opens a desktop browser signed in as a group's moderator."""
    contexts = []

    def open_as_moderator(forum_slug: str, group_name: str, **options):
        with live_app.app_context():
            forum = db.session.execute(db.select(Forum).filter_by(slug=forum_slug)).scalar_one()
            group = next(g for g in forum.groups if g.name == group_name)
            user = group.moderator
            user.set_password("moderations-passwort")
            db.session.commit()
            username, group_id = user.username, group.id
        context = browser.new_context(
            base_url=base_url,
            locale="de-DE",
            **{"viewport": {"width": 1280, "height": 900}, **options},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        sign_in(page, username, "moderations-passwort", "**/moderation/")
        return page, group_id

    yield open_as_moderator
    for context in contexts:
        context.close()


def settled(open_page, fresh, snapshot, timeout=8.0) -> tuple[dict, dict]:
    """Wait until snapshot(open_page) equals snapshot of a fresh load (or time runs out).

    Returns both snapshots: the live page after its deltas, and the freshly loaded one.
    """
    deadline = time.monotonic() + timeout
    while True:
        fresh.reload()
        expected, shown = snapshot(fresh), snapshot(open_page)
        if expected == shown or time.monotonic() > deadline:
            return expected, shown
        open_page.wait_for_timeout(500)
