"""Held board polls in real Chromium: a quiet phone asks rarely, a group-mate's card comes at once."""

import time

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Participant
from forum.services import cards
from tests.browser.conftest import join

pytestmark = pytest.mark.browser


def test_a_quiet_board_waits_on_the_server_and_a_card_arrives_at_once(
    new_phone, live_forum, live_app
):
    forum = live_forum()
    phone, other = new_phone(), new_phone()
    join(phone, forum)
    join(other, forum)
    with live_app.app_context():
        me, mate = db.session.execute(
            db.select(Participant).join(Participant.forum).filter_by(slug=forum.slug)
        ).scalars()
        mate.group_id = me.group_id
        db.session.commit()
        mate_id = mate.id
    polls = []
    phone.on("request", lambda request: "/board/live" in request.url and polls.append(request))
    phone.goto(f"/j/{forum.join_code}/board")
    assert phone.locator("#board").get_attribute("data-live-hold") == "10"
    # Polling every 1.5 s would have asked 4 times by now; a held poll waits for news.
    phone.wait_for_timeout(6000)
    assert 1 <= len(polls) <= 2, [request.url for request in polls]
    assert "wait=10" in polls[0].url

    with live_app.app_context():
        posted = time.monotonic()
        cards.add_card(db.session.get(Participant, mate_id), "strength", "Offene Türen", "k-1")
    expect(phone.get_by_text("Offene Türen")).to_be_attached()
    arrived = time.monotonic() - posted
    print(f"card on the waiting phone after {arrived:.2f} s")
    assert arrived < 1.0
