"""A planner sets up the 2. Themenforum from the 1. in real Chromium, with and without JavaScript."""

import itertools
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Forum, Process, User
from forum.services import forum_setup
from forum.services.seed_schema import SeedFile
from forum.services.seeding import load_seed
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_printables import A4_PORTRAIT, pdf_pages
from tests.conftest import forum_spec

pytestmark = pytest.mark.browser

PASSWORD = "richtig-gutes-passwort"
AGENDA = [
    {"title": "Begrüßung", "minutes": 15},
    {
        "title": "Arbeitsphase",
        "phases": [
            {"key": "swot", "title": "4-Feldermatrix", "minutes": 30, "per_group": True},
            {"key": "goals", "title": "Ziele und Maßnahmen", "minutes": 45},
        ],
    },
]
# Six groups in the three rooms of the 1. Themenforum: four from the template, two added.
GROUPS = [
    ("Orange", "E05"),
    ("Rot", "E05"),
    ("Blau", "5/501"),
    ("Grün", "4/402b"),
    ("Lila", "5/501"),
    ("Gelb", "4/402b"),
]
_runs = itertools.count(1)


@pytest.fixture
def process_with_forum_1(live_app):
    """A process of its own with a 1. Themenforum (agenda, 4 groups in 3 rooms) and a planner."""
    run = f"{os.getpid()}-{next(_runs)}"
    spec = forum_spec(agenda=AGENDA, venue="Rathaus", dots_per_participant=5)
    spec["process"].update(slug=f"einrichten-{run}", title=f"Fachplan Einrichten {run}")
    spec["forum"][0]["slug"] = f"einrichten-{run}-1"
    with live_app.app_context():
        load_seed(SeedFile.model_validate(spec))
        planner = User(username=f"einrichten-{run}", display_name="Planung", role="planner")
        planner.set_password(PASSWORD)
        db.session.add(planner)
        db.session.commit()
    yield {"run": run, "title": spec["process"]["title"], "planner": f"einrichten-{run}"}
    # The live app is shared: free the short names (themenforum-2 …) that later tests' seeds use.
    with live_app.app_context():
        process = db.session.execute(
            db.select(Process).filter_by(slug=f"einrichten-{run}")
        ).scalar_one()
        for forum in list(process.forums):
            forum_setup.delete_forum(forum)


def count_page_loads(page) -> list[str]:
    """Record every navigation of the page's main frame (a page load the planner waits for)."""
    loads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    return loads


def desk(browser, base_url, width=1366, height=768, **options):
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": width, "height": height}, **options
    )
    page = context.new_page()
    page.set_default_timeout(8000)
    return context, page


def screenshot(page, name: str, tmp_path) -> None:
    """Keep a screenshot to look at (SCREENSHOT_DIR, else the test's temporary folder)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_the_2_themenforum_is_set_up_from_the_1_in_at_most_6_page_loads(
    browser, base_url, live_app, process_with_forum_1, tmp_path
):
    run = process_with_forum_1["run"]
    context, page = desk(browser, base_url)
    sign_in(page, process_with_forum_1["planner"], PASSWORD, "**/planner/")
    loads = count_page_loads(page)

    page.goto("/planner/")
    process = page.get_by_role("region", name=process_with_forum_1["title"])
    template = process.get_by_label("Neues Forum wie …")
    expect(template).to_have_value(f"einrichten-{run}-1")
    process.get_by_role("button", name="Formular mit dieser Vorlage öffnen").click()
    page.wait_for_url("**/forums/new?like=*")
    expect(page.get_by_label("Nummer", exact=True)).to_have_value("2")
    expect(page.get_by_label("Gruppe 4: Name", exact=True)).to_have_value("Grün")

    page.get_by_label("Titel", exact=True).fill("Arbeit und Ausbildung")
    page.get_by_label("Datum", exact=True).fill("23.01.2025")
    # The agenda gets a closing item, the groups two more rows: in place, without a page load.
    before = len(loads)
    page.get_by_role("button", name="Weitere Zeile (Tagesordnung)").click()
    rows = page.locator("#agenda-rows tr").count()
    expect(page.get_by_label(f"Tagesordnung {rows}: Ebene", exact=True)).to_be_focused()
    page.get_by_label(f"Tagesordnung {rows}: Titel", exact=True).fill("Abschluss im Plenum")
    page.get_by_role("button", name="Weitere Zeile (Gruppen)").click()
    expect(page.get_by_label("Gruppe 6: Name", exact=True)).to_be_focused()
    assert len(loads) == before, "adding a row loaded the page"
    moderators = []
    for number, (name, room) in enumerate(GROUPS, start=1):
        row = f"Gruppe {number}:"
        page.get_by_label(f"{row} Name", exact=True).fill(name)
        page.get_by_label(f"{row} Raum", exact=True).fill(room)
        login = f"mod-{run}-{number}"
        person = f"Moderation {name} {run}"
        page.get_by_label(f"{row} Name der neuen Moderation", exact=True).fill(person)
        page.get_by_label(f"{row} Benutzername der neuen Moderation", exact=True).fill(login)
        moderators.append((login, person, name, room))
    page.get_by_label("Gruppe 5: Farbe", exact=True).fill("#6f2da8")
    page.get_by_label("Gruppe 6: Farbe", exact=True).fill("#f2c200")
    assert_accessible(page)
    screenshot(page, "forum-form-1366", tmp_path)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366

    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zugangsdaten der neuen Moderationskonten"
    )
    passwords = {}
    for login, person, group, room in moderators:
        sheet = page.get_by_role("article", name=f"Zugang für {person}")
        expect(sheet).to_contain_text(login)
        expect(sheet).to_contain_text(group)
        expect(sheet).to_contain_text(room)
        expect(sheet).to_contain_text("2. Themenforum: Arbeit und Ausbildung")
        expect(sheet).to_contain_text("nur einmal angezeigt")
        passwords[login] = sheet.locator("[data-password]").inner_text()
    assert_accessible(page)
    screenshot(page, "moderator-sheets-1366", tmp_path)
    # On paper: one A4 portrait sheet per moderator, without the site and the hints.
    page.pdf(path=str(tmp_path / "zugang.pdf"), prefer_css_page_size=True)
    assert pdf_pages(tmp_path / "zugang.pdf") == [A4_PORTRAIT] * 6
    assert len(loads) <= 6, loads
    print(f"page loads: {len(loads)}: {loads}")
    context.close()

    with live_app.app_context():
        forums = db.session.execute(db.select(Forum).filter_by(number=2)).scalars()
        forum = next(f for f in forums if f.process.title == process_with_forum_1["title"])
        assert (forum.number, forum.title, forum.date.isoformat()) == (
            2,
            "Arbeit und Ausbildung",
            "2025-01-23",
        )
        assert [item.title for item in forum.agenda] == [
            "Begrüßung",
            "Arbeitsphase",
            "Abschluss im Plenum",
        ]
        assert sorted(room.name for room in forum.rooms) == ["4/402b", "5/501", "E05"]
        assert [(g.name, g.room.name, g.moderator.username) for g in forum.groups] == [
            (group, room, login) for login, _, group, room in moderators
        ]
        assert forum.groups[4].colour.lower() == "#6f2da8"
        consoles = {g.moderator.username: g.id for g in forum.groups}
        for login, password in passwords.items():
            user = db.session.execute(db.select(User).filter_by(username=login)).scalar_one()
            assert password not in user.password_hash

    # Each moderator signs in with the password shown once and reaches the group's console.
    for login, _person, group, _room in moderators:
        context, page = desk(browser, base_url)
        sign_in(page, login, passwords[login], "**/moderation/**")
        page.goto(f"/moderation/groups/{consoles[login]}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Gruppe {group}")
        context.close()


def test_weitere_zeile_works_without_javascript(
    browser, base_url, live_app, process_with_forum_1, tmp_path
):
    run = process_with_forum_1["run"]
    context, page = desk(browser, base_url, width=390, height=844, java_script_enabled=False)
    sign_in(page, process_with_forum_1["planner"], PASSWORD, "**/planner/")
    page.goto(f"/planner/processes/einrichten-{run}/forums/new?like=einrichten-{run}-1")
    page.get_by_label("Titel", exact=True).fill("Wohnen")
    page.get_by_label("Datum", exact=True).fill("06.2025")
    page.get_by_label("Gruppe 5: Name", exact=True).fill("Lila")
    page.get_by_label("Gruppe 5: Raum", exact=True).fill("E05")
    loads = count_page_loads(page)
    page.get_by_role("button", name="Weitere Zeile (Gruppen)").click()
    page.get_by_label("Gruppe 6: Name", exact=True).wait_for()
    assert len(loads) == 1  # the form came back from the server
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Wohnen")
    expect(page.get_by_label("Datum", exact=True)).to_have_value("06.2025")
    expect(page.get_by_label("Gruppe 5: Name", exact=True)).to_have_value("Lila")
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    page.get_by_label("Gruppe 6: Name", exact=True).fill("Gelb")
    page.get_by_label("Gruppe 6: Raum", exact=True).fill("5/501")
    screenshot(page, "forum-form-390-nojs", tmp_path)
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_url("**/planner/forums/themenforum-*")
    with live_app.app_context():
        forums = db.session.execute(db.select(Forum).filter_by(title="Wohnen")).scalars().all()
        forum = next(f for f in forums if f.process.slug == f"einrichten-{run}")
        assert [g.name for g in forum.groups][-2:] == ["Lila", "Gelb"]
        assert (forum.date.isoformat(), forum.date_precision) == ("2025-06-01", "month")
    context.close()


def test_the_form_and_the_deletion_pages_fit_a_phone_and_pass_axe(
    browser, base_url, live_app, process_with_forum_1, tmp_path
):
    run = process_with_forum_1["run"]
    context, page = desk(browser, base_url, width=390, height=844)
    sign_in(page, process_with_forum_1["planner"], PASSWORD, "**/planner/")
    page.goto(f"/planner/processes/einrichten-{run}/forums/new?like=einrichten-{run}-1")
    page.get_by_label("Titel", exact=True).fill("1. Themenforum – doppelt")
    page.get_by_label("Nummer", exact=True).fill("")
    page.get_by_label("Datum", exact=True).fill("31.02.2025")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_label("Nummer", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Datum", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "forum-form-390-errors", tmp_path)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.goto(f"/planner/forums/einrichten-{run}-1/edit")
    page.get_by_role("link", name="Veranstaltung löschen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "„1. Themenforum: Gemeinwesenarbeit und Ehrenamt“ löschen?"
    )
    assert_accessible(page)
    page.get_by_role(
        "button", name="„1. Themenforum: Gemeinwesenarbeit und Ehrenamt“ endgültig löschen"
    ).click()
    page.wait_for_url("**/planner/")
    expect(page.get_by_role("region", name=process_with_forum_1["title"])).not_to_contain_text(
        "Gemeinwesenarbeit"
    )
    context.close()
