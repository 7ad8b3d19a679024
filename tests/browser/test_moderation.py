"""Moderator console, projector and two phones of one group, in real Chromium."""

import time

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Card, User
from tests.browser.conftest import assert_accessible, join, open_quadrant

pytestmark = pytest.mark.browser


def card_text(page, quadrant, text):
    return page.locator(f"#{quadrant} .card-text", has_text=text)


def test_console_projector_and_phones_work_together(new_phone, live_forum, staff_page, live_app):
    forum = live_forum(
        groups=[
            ("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz"),
            ("Blau", "#1F5FBF", "5/501", "bidell", "Fr. Bidell"),
        ]
    )
    first, second = new_phone(), new_phone()
    group = join(first, forum, "Hauptamt")
    while join(second, forum, "Ehrenamt") != group:
        second = new_phone()
    console, group_id = staff_page(forum.slug, group)
    console.goto(f"/moderation/groups/{group_id}")
    projector = console.context.new_page()
    projector.goto(f"/moderation/groups/{group_id}/projector")
    for phone in (first, second):
        phone.goto(f"/j/{forum.join_code}/board")

    # A card typed on a phone shows on console and projector within 2 s.
    first.get_by_label("Neue Karte: Stärken").fill("Starke Nachbarschaftsvereine")
    first.locator("#q-strength").get_by_role("button", name="Karte hinzufügen").click()
    first.wait_for_selector("text=Karte gespeichert.")
    posted = time.monotonic()
    console.locator(".card-text", has_text="Starke Nachbarschaftsvereine").wait_for(timeout=2000)
    projector.get_by_text("Starke Nachbarschaftsvereine").first.wait_for(timeout=2000)
    assert time.monotonic() - posted < 2.0

    # Keyboard only: type a paper card, Tab to the quadrant, pick it with the arrows, Enter.
    console.locator("#quick-text").focus()
    console.keyboard.type("Nachbarschaftsvereine stark")
    console.keyboard.press("Tab")
    console.keyboard.press("ArrowDown")  # Stärken -> Schwächen
    console.keyboard.press("Enter")
    expect(console.get_by_label("Text der Karte")).to_be_focused()  # sent without leaving
    open_quadrant(second, "Schwächen")
    expect(card_text(second, "q-weakness", "Nachbarschaftsvereine stark")).to_be_visible(
        timeout=2500
    )

    # Move it, merge the two strengths, hide one: the phones follow.
    item = console.locator("li.card", has_text="Nachbarschaftsvereine stark")
    item.get_by_label("Verschieben nach").select_option("strength")
    item.get_by_role("button", name="Verschieben").click()
    open_quadrant(second, "Stärken")
    expect(card_text(second, "q-strength", "Nachbarschaftsvereine stark")).to_be_visible(
        timeout=2500
    )
    for text in ("Starke Nachbarschaftsvereine", "Nachbarschaftsvereine stark"):
        console.locator("li.card", has_text=text).get_by_role("checkbox").check()
    console.get_by_role("button", name="Ausgewählte Karten zusammenführen").click()
    expect(console.locator(".count", has_text="(×2)")).to_be_visible()
    expect(card_text(second, "q-strength", "Nachbarschaftsvereine stark")).to_have_count(
        0, timeout=2500
    )
    console.locator("li.card", has_text="Starke Nachbarschaftsvereine").get_by_role(
        "button", name="Ausblenden"
    ).click()
    expect(card_text(first, "q-strength", "Starke Nachbarschaftsvereine")).to_have_count(
        0, timeout=2500
    )
    with live_app.app_context():
        hidden = db.session.execute(
            db.select(Card).filter_by(text="Starke Nachbarschaftsvereine")
        ).scalar_one()
        assert hidden.hidden and hidden.merge_count == 2
    assert_accessible(console)

    # A measure proposed on a phone is completed by the moderator and voted on.
    first.goto(f"/j/{forum.join_code}/measures")
    first.get_by_label("Maßnahme", exact=True).fill("Raumbörse für Vereine")
    first.get_by_role("button", name="Vorschlagen").click()
    console.locator("#mod-measures").get_by_role("link", name="Raumbörse für Vereine").click(
        timeout=4000
    )
    console.get_by_label("Verantwortlich (Institution oder Rolle)").fill("Stadtbezirksamt")
    console.get_by_label("mittelfristig").check()
    console.get_by_label("Indikator (messbar)").fill("20 vermittelte Räume pro Jahr")
    console.get_by_role("button", name="Speichern").click()
    expect(console.locator("#mod-measures")).to_contain_text("vollständig")
    second.goto(f"/j/{forum.join_code}/measures")
    second.get_by_role("button", name="Punkt setzen: Raumbörse für Vereine").click()
    expect(second.get_by_text("Ihre Punkte: noch 2")).to_be_visible()
    expect(console.locator("#mod-measures tbody tr").first.locator("td").first).to_have_text(
        "1", timeout=2500
    )
    expect(projector.get_by_text("Stadtbezirksamt")).to_be_visible(timeout=3000)
    assert_accessible(projector)
    with live_app.app_context():
        assert db.session.execute(db.select(User).filter_by(username="beitz")).scalar_one()
