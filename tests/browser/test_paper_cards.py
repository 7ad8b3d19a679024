"""Paper cards typed into the moderator console by keyboard alone, at full speed (issue 13.4)."""

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Card
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

TEN = [f"Papierkarte {n}: {word}" for n, word in enumerate("abcdefghij", start=1)]


def stored_cards(live_app, group_id) -> list[tuple[str, str]]:
    with live_app.app_context():
        rows = db.session.execute(
            db.select(Card.text, Card.quadrant).filter_by(group_id=group_id).order_by(Card.id)
        ).all()
        return [tuple(row) for row in rows]


def test_ten_cards_typed_without_pauses_are_stored_exactly(live_forum, staff_page, live_app):
    forum = live_forum()
    console, group_id = staff_page(forum.slug, "Orange")
    console.goto(f"/moderation/groups/{group_id}")
    field = console.get_by_label("Text der Karte")
    expect(field).to_be_focused()  # autofocus: the page opens ready to type
    console.get_by_label("Feld", exact=True).select_option("opportunity")
    field.focus()
    for text in TEN:
        console.keyboard.type(text)  # no delay between keys nor between cards
        console.keyboard.press("Enter")
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    expect(console.get_by_label("Feld", exact=True)).to_have_value("opportunity")
    for text in TEN:
        expect(console.locator("#mod-cards-opportunity .card-text", has_text=text)).to_have_count(1)
    assert stored_cards(live_app, group_id) == [(text, "opportunity") for text in TEN]
    expect(console.get_by_role("status").filter(has_text="Gespeichert:")).to_contain_text(TEN[-1])
    # The page never left: the live poll brought the cards, the URL is the one opened.
    assert console.url.endswith(f"/moderation/groups/{group_id}")
    assert_accessible(console)


def test_enter_on_the_quadrant_list_sends_and_returns_to_the_text(live_forum, staff_page, live_app):
    forum = live_forum()
    console, group_id = staff_page(forum.slug, "Orange")
    console.goto(f"/moderation/groups/{group_id}")
    console.keyboard.type("Vereine finden keine Räume")
    console.keyboard.press("Tab")
    console.keyboard.press("ArrowDown")  # Stärken -> Schwächen
    console.keyboard.press("Enter")
    expect(console.get_by_label("Text der Karte")).to_be_focused()
    console.keyboard.type("Zu wenig Ehrenamtliche")
    console.keyboard.press("Enter")
    expect(console.locator("#mod-cards-weakness .card-text")).to_have_count(2)
    assert stored_cards(live_app, group_id) == [
        ("Vereine finden keine Räume", "weakness"),
        ("Zu wenig Ehrenamtliche", "weakness"),
    ]


def test_a_refused_card_keeps_its_text_with_the_message(live_forum, staff_page, live_app):
    forum = live_forum()
    console, group_id = staff_page(forum.slug, "Orange")
    console.goto(f"/moderation/groups/{group_id}")
    field = console.get_by_label("Text der Karte")
    console.keyboard.press("Enter")  # nothing typed yet
    expect(field).to_have_accessible_description("Bitte den Text der Karte eingeben.")
    too_long = "Raum " * 200
    field.fill(too_long)
    console.keyboard.press("Enter")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value(too_long.strip())
    expect(field).to_be_focused()
    assert stored_cards(live_app, group_id) == []
    assert_accessible(console)


def test_without_javascript_the_next_card_starts_in_the_text_field(
    live_forum, staff_page, live_app
):
    forum = live_forum()
    console, group_id = staff_page(forum.slug, "Orange", java_script_enabled=False)
    console.goto(f"/moderation/groups/{group_id}")
    for number, text in enumerate(TEN[:3]):
        expect(console.get_by_label("Text der Karte")).to_be_focused()
        console.keyboard.type(text)
        if number == 0:
            console.keyboard.press("Tab")
            for _ in range(3):
                console.keyboard.press("ArrowDown")  # to Bedrohungen; the next page keeps it
            console.keyboard.press("Tab")  # to the button
        with console.expect_navigation():
            console.keyboard.press("Enter")
        expect(console.get_by_label("Feld", exact=True)).to_have_value("threat")
    expect(console.get_by_label("Text der Karte")).to_be_focused()
    assert stored_cards(live_app, group_id) == [(text, "threat") for text in TEN[:3]]
