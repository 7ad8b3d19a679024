"""Staff pages in English down to form labels, choices and messages; dates in the reader's
language on Berlin's clock; German seed content on translated participant pages marked German."""

import re
from datetime import datetime

import pytest

from forum.extensions import db
from forum.models import User
from forum.services import cards, phases, purge
from tests.conftest import TEST_PASSWORD_HASH, csrf_of
from tests.forms import form
from tests.test_phases import AGENDA


def labels(html: str) -> dict[str, str]:
    """Map each label's `for` to its text, as a screen reader announces the field."""
    found = re.findall(r'<label for="([^"]+)"[^>]*>(.*?)</label>', html, flags=re.S)
    return {field: re.sub(r"<[^>]+>|\s+", " ", text).strip() for field, text in found}


def options(html: str, name: str) -> list[str]:
    """Return the option texts of the select called `name`."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, flags=re.S)
    return [text.strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))]


def text(response) -> str:
    """Return a page as read: CLDR puts a narrow no-break space before "PM" and "р."."""
    return response.text.replace("\u202f", " ")


def in_english(browser):
    browser.set_cookie("lang", "en")
    return browser


@pytest.fixture
def group(make_forum):
    return make_forum().groups[0]


def test_planner_forum_form_labels_and_choices_are_english(planner, make_forum):
    forum = make_forum()
    page = in_english(planner).get(f"/planner/forums/{forum.slug}/edit").text
    found = labels(page)
    assert found["title"] == "Title"
    assert found["slug"] == "Short name (for addresses)"
    assert (found["number"], found["kind"], found["motto"]) == ("Number", "Type", "Motto")
    assert found["dots_per_participant"] == "Dots per participant"
    assert found["questions-strength"] == "Strengths"
    assert options(page, "kind") == ["Thematic forum", "Evaluation event"]
    assert options(page, "agenda-0-level") == ["Item", "Phase"]
    assert "Responsibilities and method" in options(page, "agenda-0-key")
    for german in ("Titel", "Kurzname (für Adressen)", "Leitgedanke", "Punkt", "Art"):
        assert f">{german}<" not in page


def test_planner_process_form_names_the_horizon_years_in_english(planner):
    page = in_english(planner).get("/planner/processes/new").text
    found = labels(page)
    assert (found["horizons-short"], found["horizons-medium"], found["horizons-long"]) == (
        "Years for short term",
        "Years for medium term",
        "Years for long term",
    )
    assert "<legend>Time horizons</legend>" in page
    assert "The plan document (in German) prints them beside a measure" in page
    for german in ("Jahre für kurzfristig", "Umsetzungshorizonte", "Leer lassen"):
        assert german not in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Only lower-case letters, digits and hyphens."),
        ("de", "Nur Kleinbuchstaben, Ziffern und Bindestriche."),
    ],
)
def test_planner_validation_messages_follow_the_page_language(planner, make_forum, lang, message):
    forum = make_forum()
    planner.set_cookie("lang", lang)
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "", slug="Mit Leerzeichen")
    response = planner.post(url, data=data)
    assert response.status_code == 422 and message in response.text


def test_seed_problems_in_the_console_are_english(planner):
    page = in_english(planner).get("/planner/processes/new").text
    _, data = form(page, "", title="Without goals", slug="without-goals")
    response = planner.post("/planner/processes/new", data=data)
    assert response.status_code == 422
    assert ": needs at least one entry" in response.text  # after the field's label
    assert "guiding_goals:" not in response.text
    assert "Eintrag" not in response.text


def test_a_taken_short_name_is_refused_in_english(planner, make_forum):
    first, second = make_forum(), make_forum()
    url = f"/planner/forums/{second.slug}/edit"
    _, data = form(in_english(planner).get(url).text, "", slug=first.slug)
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert f"“{first.slug}” already belongs to another event" in response.text
    assert "slug:" not in response.text


def test_account_form_is_english(planner):
    page = in_english(planner).get("/planner/accounts").text
    assert labels(page)["display_name"] == "Display name"
    assert options(page, "role") == ["Moderation", "Planning"]
    _, data = form(page, "", username="x", display_name="X", password="lang-genug-1234")
    response = planner.post("/planner/accounts", data=data)
    assert "2–80 characters: a–z, 0–9, . _ -" in response.text
    assert db.session.execute(db.select(User).filter_by(username="x")).scalar() is None


def test_sign_in_page_is_english(client, app):
    user = User(username="planung", display_name="Sozialplanung", role="planner")
    user.password_hash = TEST_PASSWORD_HASH
    db.session.add(user)
    db.session.commit()
    page = in_english(client).get("/login").text
    assert (labels(page)["username"], labels(page)["password"]) == ("User name", "Password")
    _, data = form(page, "", username="planung", password="falsch")
    assert "User name or password is wrong." in client.post("/login", data=data).text


def test_moderator_console_speaks_english(group, moderator_of):
    console = in_english(moderator_of(group))
    url = f"/moderation/groups/{group.id}"
    page = console.get(url).text
    assert labels(page)["quick-text"] == "Text of the card"
    assert options(page, "quadrant") == ["Strengths", "Weaknesses", "Opportunities", "Risks"]
    action, data = form(page, "/cards", text="x" * 501, quadrant="threat")
    response = console.post(action, data=data)
    assert response.status_code == 422
    assert "At most 500 characters (501 entered)." in response.text
    action, data = form(page, "/cards", text="  ", quadrant="threat")
    assert "Please enter the text of the card." in console.post(action, data=data).text


def test_merge_is_counted_in_the_page_language(group, moderator_of):
    console = moderator_of(group)
    url = f"/moderation/groups/{group.id}"
    for lang, said in [("en", "2 cards merged."), ("de", "2 Karten zusammengeführt.")]:
        ids = [
            cards.store_card(group.id, "strength", f"Räume {lang} {n}", f"merge-{lang}-{n:016d}").id
            for n in range(2)
        ]
        console.set_cookie("lang", lang)
        token = csrf_of(console.get(url).text)
        console.post(f"{url}/cards/merge", data={"csrf_token": token, "card": ids})
        assert said in console.get(url).text


def test_measure_form_is_english(group, moderator_of):
    console = in_english(moderator_of(group))
    page = console.get(f"/moderation/groups/{group.id}").text
    action, data = form(page, "/measures", goal="Ehrenamt stärken", title="Ehrenamtsbörse")
    edit = console.get(console.post(action, data=data).location).text
    found = labels(edit)
    assert found["owner"] == "Owner (institution or role)"
    assert found["method"] == "Method of implementation"
    assert found["indicator"] == "Indicator (measurable)"
    assert found["guiding_goal"] == "Guiding goal"
    assert options(edit, "guiding_goal")[:2] == [
        "– not assigned yet –",
        "Guiding goal 1: Leitziel eins…",
    ]


@pytest.mark.parametrize(("lang", "key"), [("en", "Ctrl"), ("de", "Strg")])
def test_print_hint_names_the_control_key_of_the_readers_keyboard(planner, make_forum, lang, key):
    forum = make_forum()
    planner.set_cookie("lang", lang)
    page = planner.get(f"/planner/forums/{forum.slug}/print/poster").text
    assert f"<kbd>{key}</kbd>+<kbd>P</kbd>" in page


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("de", "Personenbezogene Daten gelöscht am 23. Januar 2025, 14:30 Uhr."),
        ("en", "Personal data deleted on January 23, 2025, 2:30 PM."),
    ],
)
def test_purge_time_is_berlin_time_in_the_readers_format(planner, make_forum, lang, shown):
    forum = make_forum()
    purge.purge_forum(forum, now=datetime(2025, 1, 23, 13, 30))  # stored as UTC
    planner.set_cookie("lang", lang)
    assert shown in text(planner.get(f"/planner/forums/{forum.slug}/participants"))


@pytest.mark.parametrize(
    ("lang", "when", "day"),
    [
        ("uk", "1 липня 2025 р., 12:00", "23 лютого 2025 р."),
        ("ar", "1 يوليو 2025، 12:00 م", "23 فبراير 2025"),
    ],
)
def test_participants_read_dates_in_their_language(client, make_forum, lang, when, day):
    forum = make_forum(date="2025-01-23")
    client.set_cookie("lang", lang)
    page = text(client.get(f"/datenschutz?forum={forum.join_code}"))
    assert day in page and "р.." not in page  # the automatic deletion, 30 days after the forum
    purge.purge_forum(forum, now=datetime(2025, 7, 1, 10, 0))  # summer time: UTC+2
    assert when in text(client.get(f"/datenschutz?forum={forum.join_code}"))


def marked(html: str, css_class: str) -> str:
    """Return the attributes after the class of the first element with that class."""
    return re.search(rf'class="{css_class}"([^>]*)>', html).group(1)


def test_english_board_marks_german_seed_content(make_forum, join_as_participant):
    forum = make_forum(agenda=AGENDA)
    phone, person = join_as_participant(forum)
    cards.add_card(person, "strength", "Good neighbours", "own-card-key-00000000")
    phases.start(forum, next(i for i in phases.work_phases(forum) if i.phase == "swot"))
    phone.set_cookie("lang", "en")
    page = phone.get(f"/j/{forum.join_code}/board").text
    question = forum.question("strength")
    assert f'<p class="question" lang="de">{question}</p>' in page
    assert f'<span lang="de">{person.group.name}</span>' in page
    assert marked(page, "timer-title") == ' lang="de"'
    # What participants type may be in any language: it is not claimed to be German.
    assert '<p class="card-text">Good neighbours</p>' in page


@pytest.mark.parametrize(("lang", "attributes"), [("de", ""), ("ar", ' lang="de" dir="ltr"')])
def test_seed_content_is_marked_only_on_pages_in_another_language(
    make_forum, join_as_participant, lang, attributes
):
    forum = make_forum()
    phone, person = join_as_participant(forum)
    phone.set_cookie("lang", lang)
    board = phone.get(f"/j/{forum.join_code}/board").text
    assert marked(board, "question") == attributes
    group_page = phone.get(f"/j/{forum.join_code}/group").text
    assert marked(group_page, "eyebrow") == attributes  # the forum's title
    moderator = person.group.moderator.display_name
    assert f'<dd class="moderator"><span{attributes}>{moderator}</span></dd>' in group_page
    newcomer = phone.application.test_client()
    newcomer.set_cookie("lang", lang)
    join_page = newcomer.get(f"/j/{forum.join_code}").text
    assert f"<h1{attributes}>{forum.title}</h1>" in join_page


@pytest.mark.parametrize(
    ("lang", "label"),
    [("de", "1. Themenforum"), ("en", "Thematic forum 1"), ("uk", "1-й тематичний форум")],
)
def test_the_forums_number_reads_as_the_language_counts(client, make_forum, lang, label):
    forum = make_forum()
    client.set_cookie("lang", lang)
    assert f'<p class="eyebrow">{label}</p>' in client.get(f"/j/{forum.join_code}").text


def test_planner_overview_numbers_forums_in_english(planner, make_forum):
    forum = make_forum()
    page = in_english(planner).get("/planner/").text
    assert f"Thematic forum 1: {forum.title}" in page and "1. Thematic forum" not in page
