"""The fast lane answers unchanged polls and ordinary outbox cards exactly as the app would,
and leaves every unusual request to the app."""

import logging
import secrets
import time
from urllib.parse import unquote

import pytest
from itsdangerous import SignatureExpired, URLSafeTimedSerializer

from forum import fastlane
from forum.extensions import db
from forum.fastlane import FastLane, Verified
from forum.models import Card
from forum.services import changes, phases
from tests.conftest import app_on, create_forum
from tests.forms import form
from tests.test_rate_limits import own_counters

AGENDA = [
    {
        "title": "Arbeitsphase in Kleingruppen",
        "phases": [
            {"key": "swot", "title": "4-Feldermatrix", "minutes": 30},
            {"key": "goals", "title": "Ziele und Maßnahmen", "minutes": 25},
        ],
    }
]
JSON = {"Accept": "application/json"}


@pytest.fixture
def forum(make_forum):
    return make_forum(agenda=AGENDA)


@pytest.fixture
def handed_on(app):
    """Record the requests the fast lane hands on to the app."""
    lane = app.wsgi_app
    assert isinstance(lane, FastLane)
    inner, paths = lane.wsgi_app, []

    def counting(environ, start_response):
        paths.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    lane.wsgi_app = counting
    return paths


def join(app, forum):
    """Join from a new phone; return the phone and the CSRF token its pages carry."""
    phone = app.test_client()
    _, data = form(phone.get(f"/j/{forum.join_code}").text, org_type="volunteer")
    assert phone.post(f"/j/{forum.join_code}", data=data).status_code == 302
    return phone, data["csrf_token"]


def card(csrf_token, text="Sprachcafés im Stadtteil", **overrides):
    """The fields outbox.js sends for one card."""
    fields = {"csrf_token": csrf_token, "quadrant": "strength", "text": text}
    return {**fields, "client_key": secrets.token_urlsafe(16), **overrides}


def answer(response) -> tuple:
    """What a browser gets: status, headers (in any order) and body."""
    return response.status_code, sorted(response.headers.items()), response.data


def by_the_app(app, send):
    """Send a request past the fast lane, straight to the app."""
    lane = app.wsgi_app
    app.wsgi_app = lane.wsgi_app
    try:
        return send()
    finally:
        app.wsgi_app = lane


def live_url(forum):
    return f"/j/{forum.join_code}/board/live"


def cards_url(forum):
    return f"/j/{forum.join_code}/cards"


def card_count() -> int:
    return db.session.execute(db.select(db.func.count()).select_from(Card)).scalar_one()


def test_an_unchanged_poll_gets_the_apps_answer_from_the_lane(app, forum, handed_on):
    phone, _ = join(app, forum)
    etag = phone.get(live_url(forum)).headers["ETag"]
    handed_on.clear()

    def poll():
        return phone.get(live_url(forum), headers={"If-None-Match": etag})

    from_lane = poll()
    assert handed_on == []
    from_app = by_the_app(app, poll)
    assert from_lane.status_code == 304
    assert answer(from_lane) == answer(from_app)


def test_an_outbox_card_is_stored_once_and_answered_as_the_app_answers(app, forum, handed_on):
    phone, csrf_token = join(app, forum)
    versions_before = {group.id: changes.version(group.id) for group in forum.groups}
    data = card(csrf_token)
    handed_on.clear()

    def send():
        return phone.post(cards_url(forum), data=data, headers=JSON)

    from_lane = send()
    assert handed_on == []
    from_app = by_the_app(app, send)  # the same form again: a retry
    assert from_lane.status_code == 200 and from_lane.json["ok"] is True
    assert answer(from_lane) == answer(from_app)
    stored = db.session.execute(db.select(Card)).scalar_one()
    assert (stored.id, stored.text, stored.quadrant) == (
        from_lane.json["card_id"],
        data["text"],
        "strength",
    )
    changed = {gid for gid, was in versions_before.items() if changes.version(gid) != was}
    assert changed == {stored.group_id}
    assert changes.since(stored.group_id, versions_before[stored.group_id], "card") == {stored.id}


def test_the_board_shows_a_lane_card_to_the_whole_group(app, forum):
    writer, csrf_token = join(app, forum)
    etag = writer.get(live_url(forum)).headers["ETag"]
    writer.post(cards_url(forum), data=card(csrf_token, "Ehrenamtsbörse"), headers=JSON)
    changed = writer.get(live_url(forum), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Ehrenamtsbörse" in changed.json["regions"]["cards-strength"]


def _poll_cases():
    """Polls the lane must leave to the app, and what the app answers."""
    return {
        "stale version": (lambda ctx: {"headers": {"If-None-Match": '"g0r0p0f0"'}}, 200),
        "no version": (lambda ctx: {}, 200),
        "no session": (lambda ctx: {"stranger": True, "headers": ctx["current"]}, 302),
        "forged cookie": (lambda ctx: {"forged": True, "headers": ctx["current"]}, 302),
        "unknown forum": (lambda ctx: {"code": "A" * 22, "headers": ctx["current"]}, 404),
        "newline after the path": (lambda ctx: {"suffix": "%0A", "headers": ctx["current"]}, 404),
        "untrusted host": (
            lambda ctx: {"headers": {**ctx["current"], "Host": "evil.example"}},
            400,
        ),
    }


@pytest.mark.parametrize("case", list(_poll_cases()))
def test_unusual_polls_are_left_to_the_app(app, forum, handed_on, case):
    phone, _ = join(app, forum)
    etag = phone.get(live_url(forum)).headers["ETag"]
    make, expected = _poll_cases()[case]
    request = make({"current": {"If-None-Match": etag}})
    client = phone
    if request.get("stranger"):
        client = app.test_client()
    if request.get("forged"):
        cookie = phone.get_cookie("session").value
        client = app.test_client()
        client.set_cookie("session", cookie[:-3] + ("AAA" if cookie[-3:] != "AAA" else "BBB"))
    url = f"/j/{request.get('code', forum.join_code)}/board/live{request.get('suffix', '')}"
    handed_on.clear()
    response = client.get(url, headers=request.get("headers", {}))
    assert handed_on == [unquote(url)]
    assert response.status_code == expected


def test_a_head_poll_is_left_to_the_app(app, forum, handed_on):
    phone, _ = join(app, forum)
    etag = phone.get(live_url(forum)).headers["ETag"]
    handed_on.clear()
    response = phone.head(live_url(forum), headers={"If-None-Match": etag})
    assert handed_on and response.status_code == 304


CARD_CASES = {
    # name: (fields changed, extra request options, the app's answer)
    "form post without script": ({}, {"headers": {"Accept": "text/html"}}, 302),
    "wrong CSRF token": ({"csrf_token": "falsch"}, {}, 400),
    "empty text": ({"text": "   "}, {}, 422),
    "over-long text": ({"text": "x" * 501}, {}, 422),
    "control characters": ({"text": "Zeile\x0bzwei"}, {}, 422),
    "NUL removed by the app": ({"text": "Sprach\x00café"}, {}, 200),
    "unknown quadrant": ({"quadrant": "opinion"}, {}, 400),
    "malformed form key": ({"client_key": "kurz"}, {}, 422),
    "an extra field": ({"name": "Anna"}, {}, 200),
    "multipart body": ({}, {"multipart": True}, 200),
    "untrusted host": ({}, {"headers": {**JSON, "Host": "evil.example"}}, 400),
    "https without referrer": ({}, {"https": True}, 400),
    "newline after the path": ({}, {"suffix": "%0A"}, 404),
    "CR LF after the path": ({}, {"suffix": "%0D%0A"}, 404),
}


@pytest.mark.parametrize("case", list(CARD_CASES))
def test_unusual_cards_are_left_to_the_app(app, forum, handed_on, case):
    phone, csrf_token = join(app, forum)
    changes, options, expected = CARD_CASES[case]
    data = {**card(csrf_token), **changes}
    headers = options.get("headers", JSON)
    kwargs = {"data": data, "headers": headers}
    if options.get("multipart"):
        kwargs["content_type"] = "multipart/form-data"
    if options.get("https"):
        kwargs["base_url"] = "https://localhost"
    url = cards_url(forum) + options.get("suffix", "")
    handed_on.clear()
    response = phone.post(url, **kwargs)
    assert handed_on == [unquote(url)]
    assert response.status_code == expected, response.data[:300]
    assert card_count() == (1 if expected in (200, 302) else 0)


def test_another_phones_csrf_token_is_left_to_the_app(app, forum, handed_on):
    phone, _ = join(app, forum)
    _, other_token = join(app, forum)
    handed_on.clear()
    response = phone.post(cards_url(forum), data=card(other_token), headers=JSON)
    assert handed_on == [cards_url(forum)]
    assert response.status_code == 400 and card_count() == 0


def test_a_card_over_https_from_the_own_page_takes_the_lane(app, forum, handed_on):
    phone, csrf_token = join(app, forum)
    handed_on.clear()
    headers = {**JSON, "Referer": f"https://localhost/j/{forum.join_code}/board"}
    response = phone.post(
        cards_url(forum), data=card(csrf_token), headers=headers, base_url="https://localhost"
    )
    assert handed_on == [] and response.status_code == 200


def test_a_card_outside_the_matrix_phase_is_left_to_the_app(app, forum, handed_on):
    phone, csrf_token = join(app, forum)
    phases.start(forum, phases.work_phases(forum)[1])
    handed_on.clear()
    response = phone.post(cards_url(forum), data=card(csrf_token), headers=JSON)
    assert handed_on == [cards_url(forum)]
    assert response.status_code == 409 and card_count() == 0


def test_a_failure_in_the_lane_leaves_the_request_to_the_app(
    app, forum, handed_on, monkeypatch, caplog
):
    phone, csrf_token = join(app, forum)

    def broken(*args):
        raise RuntimeError("lane broken")

    monkeypatch.setattr(FastLane, "_csrf_valid", broken)
    handed_on.clear()
    with caplog.at_level(logging.ERROR):
        response = phone.post(cards_url(forum), data=card(csrf_token), headers=JSON)
    assert handed_on == [cards_url(forum)]
    assert response.status_code == 200 and card_count() == 1
    assert "Fast lane failed" in caplog.text


def test_without_the_setting_there_is_no_lane(database, tmp_path):
    for app in app_on(database, tmp_path, FAST_LANE=False):
        assert not isinstance(app.wsgi_app, FastLane)


def test_a_checked_signature_still_expires(monkeypatch):
    serializer = URLSafeTimedSerializer("geheim", salt="test")
    signed = serializer.dumps({"tokens": {"1": "x"}})
    verified = Verified(serializer, max_age=60)
    assert verified.loads(signed) == {"tokens": {"1": "x"}}
    later = time.time() + 61
    monkeypatch.setattr(fastlane.time, "time", lambda: later)
    with pytest.raises(SignatureExpired):
        verified.loads(signed)


# --- rate limits: the lane counts on the app's own counters --------------------------------


@pytest.fixture
def limited_app(database, tmp_path):
    yield from app_on(database, tmp_path, RATELIMIT_ENABLED=True, **own_counters(tmp_path))


def test_lane_polls_and_app_pages_share_one_budget(limited_app):
    forum = create_forum(agenda=AGENDA)
    phone, _ = join(limited_app, forum)
    time.sleep(2.05)  # the join's requests leave the sliding one-second window
    pages = [phone.get(f"/j/{forum.join_code}/board").status_code for _ in range(4)]
    etag = phone.get(live_url(forum)).headers["ETag"]
    polls = [
        phone.get(live_url(forum), headers={"If-None-Match": etag}).status_code for _ in range(8)
    ]
    # 10 reads a second: 4 pages and 1 full poll by the app, then about 5 answered by the lane.
    # With a budget of its own the lane would have answered all 8.
    assert pages == [200] * 4
    assert polls[0] == 304 and 429 in polls


def test_a_runaway_outbox_is_throttled(limited_app):
    forum = create_forum(agenda=AGENDA)
    phone, csrf_token = join(limited_app, forum)
    time.sleep(2.05)  # the join's own post leaves the sliding one-second window
    statuses = [
        phone.post(cards_url(forum), data=card(csrf_token, f"Karte {n}"), headers=JSON).status_code
        for n in range(8)
    ]
    # 5 writes a second, whether the lane or the app stores them.
    assert statuses[:4] == [200] * 4 and 429 in statuses
    assert card_count() == statuses.count(200)
