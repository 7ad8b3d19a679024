"""The Auswertungsveranstaltung in real Chromium: phones place the event's dots on the adopted
measures, and the projector's ranking per Leitziel follows within two seconds."""

import itertools
import os
import time

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Forum, Measure, User
from forum.services import moderation
from tests.browser.conftest import assert_accessible, join
from tests.conftest import create_forum

pytestmark = pytest.mark.browser

BEAMER = {"width": 1920, "height": 1080}
PASSWORD = "richtig-gutes-passwort"
_runs = itertools.count(1)


@pytest.fixture
def event(live_app):
    """A process of its own: two Themenforen with adopted, open and deferred measures, and the event."""
    run = next(_runs)
    with live_app.app_context():
        first = create_forum(slug=f"event-tf1-{run}")
        second = create_forum(slug=f"event-tf2-{run}", number=2, title="Arbeitsmarkt")
        evaluation = create_forum(
            slug=f"event-{run}", kind="evaluation", number=None, title="Auswertungsveranstaltung"
        )
        process = first.process
        # The test process is shared with other browser tests: give this one a process of its own.
        from forum.models import GuidingGoal, Process

        own = Process(slug=f"event-prozess-{run}", title="Fachplan (Test der Auswertung)")
        own.guiding_goals = [GuidingGoal(position=n, text=f"Leitziel {n} im Test") for n in (1, 2)]
        db.session.add(own)
        db.session.flush()
        for forum in (first, second, evaluation):
            forum.process_id = own.id
        db.session.commit()
        goals = {goal.position: goal for goal in own.guiding_goals}
        made = {}
        for forum, title, goal, decision in [
            (first, "Sprachcafés in jedem Stadtteil", 2, "adopt"),
            (first, "Ehrenamtsbörse bewerben", 1, "adopt"),
            (second, "Lotsen für Ausbildungsbetriebe", 1, "adopt"),
            (second, "Noch offene Idee", 1, "open"),
            (second, "Zurückgestellte Idee", 2, "defer"),
        ]:
            measure = moderation.add_measure(
                forum.groups[0].id, "", title, f"event-{run}-{title[:20]}"
            )
            measure.decision, measure.guiding_goal = decision, goals[goal]
            made[title] = measure.id
        db.session.commit()
        assert process.id != own.id
        return evaluation.join_code, evaluation.id, made


@pytest.fixture
def projector_page(browser, base_url, live_app):
    username = f"event-beamer-{next(_runs)}"
    with live_app.app_context():
        user = User(username=username, display_name="Sozialplanung", role="planner")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    context = browser.new_context(base_url=base_url, locale="de-DE", viewport=BEAMER)
    page = context.new_page()
    page.set_default_timeout(5000)
    page.goto("/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url("**/planner/")
    yield page
    context.close()


def dots_cell(page, measure_id):
    return page.locator(f"#event-measure-{measure_id} td.dots")


def test_two_phones_vote_and_the_projector_follows(
    event, new_phone, projector_page, live_app, tmp_path
):
    code, forum_id, made = event
    projector = projector_page
    projector.goto(f"/moderation/forums/{forum_id}/auswertung")
    expect(projector.locator("h1")).to_have_text("Auswertungsveranstaltung")
    assert_accessible(projector)

    phones = [new_phone(), new_phone()]
    for phone in phones:
        join(phone, type("F", (), {"join_code": code}))
        phone.get_by_role("link", name="Zu den Maßnahmen").click()
        phone.wait_for_url(f"**/j/{code}/auswertung")
        # Every adopted measure, by Leitziel, with its plan number; nothing undecided.
        goal_one = phone.locator("section.event-goal").nth(0)
        goal_two = phone.locator("section.event-goal").nth(1)
        expect(goal_one.locator("h2")).to_have_text("Leitziel 1")
        expect(goal_one.locator(".measure-title")).to_have_text(
            ["M 1.1 Ehrenamtsbörse bewerben", "M 1.2 Lotsen für Ausbildungsbetriebe"]
        )
        expect(goal_two.locator(".measure-title")).to_have_text(
            ["M 2.1 Sprachcafés in jedem Stadtteil"]
        )
        expect(phone.locator("body")).not_to_contain_text("Noch offene Idee")
        expect(phone.locator("body")).not_to_contain_text("Zurückgestellte Idee")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    lotsen, sprach = made["Lotsen für Ausbildungsbetriebe"], made["Sprachcafés in jedem Stadtteil"]
    expect(dots_cell(projector, lotsen)).to_have_text("0")
    # The first phone votes; the projector, open all along, shows it within two seconds.
    phones[0].locator(f"#m-{lotsen} form[action$='/vote'] button").click()
    expect(phones[0].locator(f"#m-{lotsen}")).to_contain_text("davon 1 von Ihnen")
    started = time.monotonic()
    expect(dots_cell(projector, lotsen)).to_have_text("1", timeout=2000)
    first_update = time.monotonic() - started
    # Lotsen now leads Leitziel 1.
    expect(
        projector.locator("#event-ranking section").nth(0).locator("tbody tr").first
    ).to_contain_text("Lotsen")
    phones[1].locator(f"#m-{lotsen} form[action$='/vote'] button").click()
    phones[1].locator(f"#m-{sprach} form[action$='/vote'] button").click()
    expect(phones[1].locator(".dots-left")).to_contain_text("noch 1")
    started = time.monotonic()
    expect(dots_cell(projector, sprach)).to_have_text("1", timeout=2000)
    expect(dots_cell(projector, lotsen)).to_have_text("2", timeout=2000)
    second_update = time.monotonic() - started
    assert first_update < 2 and second_update < 2, (first_update, second_update)
    with live_app.app_context():
        assert db.session.get(Forum, forum_id).kind == "evaluation"
        assert db.session.get(Measure, lotsen).decision == "adopt"

    phones[1].goto(f"/j/{code}/auswertung")
    # The event's dots are not the forums' priority: the plan numbers stay as they were.
    expect(phones[1].locator(f"#m-{lotsen} .measure-title")).to_have_text(
        "M 1.2 Lotsen für Ausbildungsbetriebe"
    )
    assert_accessible(phones[1])
    shots = os.environ.get("EVENT_SCREENSHOTS")
    folder = shots or str(tmp_path)
    phones[1].screenshot(path=f"{folder}/event-phone.png", full_page=True)
    projector.screenshot(path=f"{folder}/event-projector.png")
