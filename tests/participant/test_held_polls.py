"""Held board polls: a phone whose board is current is answered when its group's board changes."""

import threading
import time

import pytest

from forum.extensions import db
from forum.models import Participant
from forum.services import cards, phases
from tests.conftest import PhoneClient, app_on, create_forum
from tests.forms import form
from tests.participant.test_board_poll import AGENDA, live_url

HOLD = 1.5


class ServedByThreads(PhoneClient):
    """A phone served by threads (gunicorn.conf.py's workers, the demo), which may hold polls."""

    def open(self, *args, **kwargs):
        kwargs["environ_overrides"] = {
            "wsgi.multithread": True,
            **kwargs.get("environ_overrides", {}),
        }
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database, tmp_path):
    for app in app_on(database, tmp_path, LIVE_HOLD_SECONDS=HOLD):
        app.test_client_class = ServedByThreads
        yield app


@pytest.fixture
def forum(make_forum):
    return make_forum(agenda=AGENDA)


@pytest.fixture
def phones(forum, join_as_participant):
    """Three phones in one group and one in another, each with its board's current ETag."""
    joined = [join_as_participant(forum) for _ in range(4)]
    first = joined[0][1]
    for _, participant in joined[1:3]:
        participant.group_id = first.group_id
    other = next(group for group in forum.groups if group.id != first.group_id)
    joined[3][1].group_id = other.id
    db.session.commit()
    return [
        (phone, participant, phone.get(live_url(forum)).headers["ETag"])
        for phone, participant in joined
    ]


class HeldPoll(threading.Thread):
    """A board poll asking to wait, sent from its own thread; it notes when its answer came."""

    def __init__(self, app, phone, forum, etag, wait=HOLD):
        super().__init__(daemon=True)
        self.app, self.phone, self.url, self.etag = app, phone, live_url(forum), etag
        self.wait, self.response, self.answered = wait, None, None
        self.start()
        time.sleep(0.3)  # the poll has read its state and waits

    def run(self):
        with self.app.app_context():
            self.response = self.phone.get(
                f"{self.url}?wait={self.wait}", headers={"If-None-Match": self.etag}
            )
        self.answered = time.monotonic()

    def result(self):
        self.join(timeout=15)
        return self.response


def test_a_group_mate_s_card_answers_the_waiting_poll_at_once(app, forum, phones):
    (phone, _, etag), (_, mate, _) = phones[0], phones[1]
    poll = HeldPoll(app, phone, forum, etag)
    posted = time.monotonic()
    card = cards.add_card(mate, "strength", "Viele Vereine im Stadtteil", "k-1")
    response = poll.result()
    assert response.status_code == 200
    assert [item["id"] for item in response.get_json()["items"]] == [f"card-{card.id}"]
    # Within a few of the watch's reads (every 0.2 s), not after the whole wait.
    assert poll.answered - posted < 1.0
    assert response.headers["Server-Timing"].startswith("hold;dur=")


def test_with_nothing_new_the_poll_is_answered_304_after_the_longest_wait(app, forum, phones):
    phone, _, etag = phones[0]
    started = time.monotonic()
    # The page may ask for more; the server holds LIVE_HOLD_SECONDS at most.
    response = HeldPoll(app, phone, forum, etag, wait=60).result()
    assert response.status_code == 304
    assert HOLD - 0.1 <= time.monotonic() - started < HOLD + 1.5
    assert int(response.headers["Server-Timing"].split("dur=")[1]) >= (HOLD - 0.4) * 1000


def test_a_card_in_another_group_does_not_answer_the_poll(app, forum, phones):
    phone, _, etag = phones[0]
    stranger = phones[3][1]
    poll = HeldPoll(app, phone, forum, etag)
    posted = time.monotonic()
    cards.add_card(stranger, "strength", "Karte der anderen Gruppe", "k-2")
    assert poll.result().status_code == 304
    assert poll.answered - posted > HOLD - 0.5


def test_a_new_phase_answers_the_poll_with_the_timer(app, forum, phones):
    phone, _, etag = phones[0]
    poll = HeldPoll(app, phone, forum, etag)
    phases.advance(forum)  # the 4-Feldermatrix starts
    db.session.commit()
    started = time.monotonic()
    response = poll.result()
    assert response.status_code == 200
    assert response.get_json()["timer"]["title"] == "4-Feldermatrix"
    assert poll.answered - started < 1.0


def test_extra_minutes_for_the_group_answer_its_polls(app, forum, phones):
    phases.advance(forum)
    db.session.commit()
    phone = phones[0][0]
    etag = phone.get(live_url(forum)).headers["ETag"]
    poll = HeldPoll(app, phone, forum, etag)
    me = db.session.get(Participant, phones[0][1].id)
    phases.extend(me.group, 5)
    db.session.commit()
    response = poll.result()
    assert response.status_code == 200 and "timer" in response.get_json()


def test_waiting_polls_hold_no_database_connection(app, forum, phones):
    polls = [HeldPoll(app, phone, forum, etag, wait=HOLD) for phone, _, etag in phones[:3]]
    db.session.remove()
    in_use = []
    for _ in range(8):
        in_use.append(db.engine.pool.checkedout())
        time.sleep(0.1)
    # Three phones wait; at most the watch's own read of the stamps holds a connection.
    assert max(in_use) <= 1, in_use
    assert all(poll.result().status_code == 304 for poll in polls)


@pytest.mark.parametrize("wait", ["", "?wait=0", "?wait=-3", "?wait=nan", "?wait=soon"])
def test_a_poll_that_does_not_ask_to_wait_is_answered_at_once(app, forum, phones, wait):
    phone, _, etag = phones[0]
    started = time.monotonic()
    response = phone.get(live_url(forum) + wait, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert time.monotonic() - started < 0.5
    assert "Server-Timing" not in response.headers


def test_the_board_page_offers_holding_to_live_js(forum, phones):
    page = phones[0][0].get(f"/j/{forum.join_code}/board").text
    assert f'data-live-hold="{HOLD:g}"' in page


@pytest.mark.parametrize(
    "config, threads",
    [({"LIVE_HOLD_SECONDS": 0}, True), ({"LIVE_HOLD_SEATS": 0}, True), ({}, False)],
    ids=["no wait", "no seats", "one request at a time"],
)
def test_without_holding_the_poll_is_answered_at_once(database, tmp_path, config, threads):
    for app in app_on(database, tmp_path, **config):
        forum = create_forum(agenda=AGENDA)
        app.test_client_class = ServedByThreads if threads else PhoneClient
        phone = app.test_client()
        _, data = form(phone.get(f"/j/{forum.join_code}").text, org_type="volunteer")
        assert phone.post(f"/j/{forum.join_code}", data=data).status_code == 302
        etag = phone.get(live_url(forum)).headers["ETag"]
        page = phone.get(f"/j/{forum.join_code}/board").text
        started = time.monotonic()
        response = phone.get(f"{live_url(forum)}?wait=5", headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert time.monotonic() - started < 0.5
        # The page does not offer it either, so live.js polls every 1.5 s.
        assert "data-live-hold" not in page
