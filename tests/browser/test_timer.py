"""The phase timer in real Chromium: phones with clocks 5 minutes apart show the same time."""

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Forum
from forum.models.common import utcnow
from forum.services import phases
from tests.browser.conftest import assert_accessible, join
from tests.test_phases import AGENDA

pytestmark = pytest.mark.browser

FIVE_MINUTES = 5 * 60


def shown_seconds(page) -> int:
    """Read the countdown as the phone shows it (m:ss) and return it in seconds."""
    text = page.locator("#timer .timer-clock").inner_text().strip()
    match = re.fullmatch(r"(\d+):(\d\d)", text)
    assert match, f"timer shows {text!r}"
    return int(match[1]) * 60 + int(match[2])


def start_phase(live_app, slug, key, *, left=None):
    """Start a phase directly, optionally so that only `left` remains of it."""
    with live_app.app_context():
        forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()
        item = next(i for i in phases.work_phases(forum) if i.phase == key)
        now = utcnow()
        if left is not None:
            now = now - timedelta(minutes=item.minutes) + left
        phases.start(forum, item, now=now)


def phone_on_board(new_phone, forum, clock_offset=0.0):
    """Open a phone whose own clock is off by clock_offset seconds, joined and on the board."""
    page = new_phone()
    page.clock.install(time=time.time() + clock_offset)
    join(page, forum)
    page.goto(f"/j/{forum.join_code}/board")
    return page


def test_two_phones_five_minutes_apart_show_the_same_time(new_phone, live_forum, planner_page):
    forum = live_forum(agenda=AGENDA)
    planner_page.goto(f"/planner/forums/{forum.slug}")
    planner_page.get_by_role("button", name="Starten: 4-Feldermatrix").click()
    expect(planner_page.get_by_text("Phase gestartet: 4-Feldermatrix")).to_be_visible()

    right = phone_on_board(new_phone, forum)
    wrong = phone_on_board(new_phone, forum, clock_offset=FIVE_MINUTES)
    skew = wrong.evaluate("Date.now()") - right.evaluate("Date.now()")
    assert abs(skew / 1000 - FIVE_MINUTES) < 5, "the second phone's clock is not 5 minutes off"

    for phone in (right, wrong):
        expect(phone.get_by_role("timer")).to_contain_text("4-Feldermatrix")
    right.wait_for_timeout(2500)  # let both count and resync at least once
    first, second = shown_seconds(right), shown_seconds(wrong)
    assert abs(first - second) <= 1, (first, second)
    assert 29 * 60 - 30 < first <= 30 * 60

    # Both keep counting down in step.
    right.wait_for_timeout(2000)
    later, later_wrong = shown_seconds(right), shown_seconds(wrong)
    assert later < first and abs(later - later_wrong) <= 1
    assert_accessible(wrong)


def test_time_up_is_shown_and_announced_once(new_phone, live_forum, live_app):
    forum = live_forum(agenda=AGENDA)
    start_phase(live_app, forum.slug, "swot", left=timedelta(seconds=4))
    page = phone_on_board(new_phone, forum)
    timer = page.get_by_role("timer")
    expect(timer).to_contain_text(re.compile(r"0:0[0-4]"))
    expect(timer).to_contain_text("Zeit abgelaufen", timeout=8000)
    expect(page.locator("#timer-status")).to_have_text("Zeit abgelaufen: 4-Feldermatrix")
    assert_accessible(page)


def test_timer_appears_when_the_planner_starts_a_phase(new_phone, live_forum, live_app):
    forum = live_forum(agenda=AGENDA)
    page = phone_on_board(new_phone, forum)
    expect(page.locator("#timer")).to_be_hidden()
    start_phase(live_app, forum.slug, "warmup")
    # The phone learns of it by its next poll, without a reload.
    expect(page.get_by_role("timer")).to_contain_text("Warm-Up-Phase", timeout=8000)
    assert 14 * 60 <= shown_seconds(page) <= 15 * 60


def test_planner_page_with_a_running_phase_is_accessible(planner_page, live_forum, live_app):
    forum = live_forum(agenda=AGENDA)
    start_phase(live_app, forum.slug, "plenum")
    planner_page.goto(f"/planner/forums/{forum.slug}")
    expect(planner_page.get_by_role("timer")).to_contain_text("Vorstellung")
    assert 39 * 60 <= shown_seconds(planner_page) <= 40 * 60
    assert_accessible(planner_page)
