"""Every form error is tied to its field, and a failed submit starts at the first field to fix."""

import lxml.html
import pytest

from forum.services import cards, moderation
from tests.forms import form

LONG = "x" * 501


def assert_errors_tied(html: str, first: str) -> None:
    """Invalid fields name their message; no message is left without its field; `first` has focus."""
    page = lxml.html.fromstring(html)
    invalid = page.xpath("//*[@aria-invalid='true']")
    assert invalid, "no field is marked aria-invalid"
    referenced = set()
    for field in invalid:
        ids = (field.get("aria-describedby") or "").split()
        messages = [page.get_element_by_id(id_, None) for id_ in ids]
        assert None not in messages, f"{field.get('id')} names a missing id in {ids}"
        errors = [m for m in messages if "field-errors" in (m.get("class") or "")]
        assert errors and errors[0].text_content().strip(), f"{field.get('id')} has no message"
        referenced.update(ids)
    for message in page.find_class("field-errors"):
        assert message.get("id") in referenced, f"message {message.text_content()!r} has no field"
    focused = page.xpath("//*[@autofocus]")
    assert [f.get("id") for f in focused] == [first]
    assert focused[0].get("aria-invalid") == "true"


@pytest.fixture
def forum(make_forum):
    return make_forum()


@pytest.fixture
def phone(forum, join_as_participant):
    return join_as_participant(forum)


def test_join_without_organisation_type_starts_at_the_choice(client, forum):
    url = f"/j/{forum.join_code}"
    _, data = form(client.get(url).text, name="N" * 121)  # too long, and no type chosen
    response = client.post(url, data=data)
    assert response.status_code == 422
    # The choice comes first on the page, so it gets the focus although the name fails too.
    assert_errors_tied(response.text, "org_type-0")
    page = lxml.html.fromstring(response.text)
    assert page.get_element_by_id("name").get("aria-describedby") == "name-hint name-error"


def test_empty_card_marks_only_its_own_quadrant(forum, phone):
    client, _ = phone
    board = client.get(f"/j/{forum.join_code}/board").text
    _, data = form(board, "/cards", text="   ")
    data["quadrant"] = "threat"
    response = client.post(f"/j/{forum.join_code}/cards", data=data)
    assert response.status_code == 422
    assert_errors_tied(response.text, "text-threat")
    assert response.text.count('aria-invalid="true"') == 1


def test_card_edit_with_too_much_text(forum, phone):
    client, participant = phone
    card = cards.add_card(participant, "strength", "Gute Vernetzung", "k" * 22)
    url = f"/j/{forum.join_code}/cards/{card.id}/edit"
    _, data = form(client.get(url).text, "", text=LONG)
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert_errors_tied(response.text, "text")


def test_proposal_errors_start_at_the_goal_when_both_fail(forum, phone):
    client, _ = phone
    url = f"/j/{forum.join_code}/measures"
    _, data = form(client.get(url).text, "", goal=LONG, title="")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert_errors_tied(response.text, "goal")
    _, data = form(client.get(url).text, "", goal="", title="")
    assert_errors_tied(client.post(url, data=data).text, "title")


def test_sign_in_with_empty_fields(client):
    _, data = form(client.get("/login").text, username="", password="")
    assert_errors_tied(client.post("/login", data=data).text, "username")


def test_account_with_short_password(planner):
    _, data = form(
        planner.get("/planner/accounts").text,
        username="mod-neu",
        display_name="Fr. Neu",
        password="kurz",
    )
    assert_errors_tied(planner.post("/planner/accounts", data=data).text, "password")


def test_process_form_without_title(planner, forum):
    url = f"/planner/processes/{forum.process.slug}/edit"
    _, data = form(planner.get(url).text, title="")
    assert_errors_tied(planner.post(url, data=data).text, "title")


def test_forum_form_errors_in_fields_and_table_cells(planner, forum):
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, slug="Kein Kurzname!", **{"room-0-capacity": "0"})
    response = planner.post(url, data=data)
    assert_errors_tied(response.text, "slug")
    page = lxml.html.fromstring(response.text)
    assert page.get_element_by_id("room-0-capacity").get("aria-invalid") == "true"


@pytest.fixture
def console(forum, moderator_of):
    group = forum.groups[0]
    return moderator_of(group), group


def test_empty_paper_card_in_the_console(console):
    browser, group = console
    url = f"/moderation/groups/{group.id}"
    _, data = form(browser.get(url).text, "/cards", text="")
    response = browser.post(f"{url}/cards", data=data)
    assert response.status_code == 422
    assert_errors_tied(response.text, "quick-text")


def test_measure_without_title(console):
    browser, group = console
    measure = moderation.add_measure(group.id, "Ziel", "Sprachcafé", "m" * 22)
    url = f"/moderation/groups/{group.id}/measures/{measure.id}/edit"
    _, data = form(browser.get(url).text, "", title="", owner="O" * 301)
    response = browser.post(url, data=data)
    assert response.status_code == 422
    assert_errors_tied(response.text, "title")


def test_moderator_card_edit_without_text(console):
    browser, group = console
    card = cards.store_card(group.id, "threat", "Förderung läuft aus", "c" * 22)
    url = f"/moderation/groups/{group.id}/cards/{card.id}/edit"
    _, data = form(browser.get(url).text, "", text="")
    assert_errors_tied(browser.post(url, data=data).text, "text")
