"""kill -9 of the whole server mid-load, then a restart: no acknowledged card lost, none twice."""

import signal
import threading
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from forum.models import Card
from tests import dbutil
from tests.benchmarks import room, server
from tests.benchmarks.httpload import Client
from tests.conftest import create_forum

PHONES = 24
# Below the per-phone write limit (5/s), as a person's thumbs are.
PAUSE = 0.25
LOAD_SECONDS = 2.5
SECRET = "crash-test-secret-key-of-32-bytes-or-more"


@dataclass
class Sender:
    """One phone's view of its posts: every (key, text) sent, and which were acknowledged."""

    phone: room.Phone
    sent: dict[str, str] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)

    def post(self, key: str, card_text: str) -> int | None:
        """Send the board's form; return the status, or None when no answer came."""
        self.sent[key] = card_text
        data = {"csrf_token": self.phone.csrf, "quadrant": "strength", "text": card_text}
        try:
            answer = self.phone.client.post(
                f"/j/{self.phone.code}/cards", {**data, "client_key": key}
            )
        except OSError:
            self.phone.client.close()
            return None
        if answer.status == 302:
            self.acknowledged.add(key)
        return answer.status

    def write_until(self, stop: threading.Event) -> None:
        """Post cards as the phone's form does, taking each next key from the board page."""
        while not stop.is_set():
            number = len(self.sent)
            status = self.post(self.phone.key, f"Telefon {self.phone.number}, Karte {number}")
            if status != 302:
                return  # the server is gone; the phone keeps what it typed
            try:
                board = self.phone.client.get(f"/j/{self.phone.code}/board")
            except OSError:
                return
            self.phone.read_board(board.body.decode())
            time.sleep(PAUSE)


@pytest.fixture
def database_uri(tmp_path):
    """A fresh, migrated database of this test's own, with an open forum."""
    uri = dbutil.migrated_database("_crash", tmp_path)
    app = create_app(dbutil.app_config(uri))
    with app.app_context():
        forum = create_forum(capacities={"E05": 20, "5/501": 10, "4/402b": 10})
        code = forum.join_code
        db.engine.dispose()
    return uri, code


def stored_cards(uri: str) -> tuple[list[Card], str]:
    """Read every card, and SQLite's integrity check (PostgreSQL: 'ok')."""
    app = create_app(dbutil.app_config(uri))
    with app.app_context():
        cards = db.session.execute(db.select(Card)).scalars().all()
        check = "ok"
        if db.engine.dialect.name == "sqlite":
            check = db.session.execute(text("PRAGMA integrity_check")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    return cards, check


def test_kill_9_mid_load_loses_no_acknowledged_card_and_stores_none_twice(database_uri, tmp_path):
    uri, code = database_uri
    env = {"SECRET_KEY": SECRET, "DATABASE_URL": uri}
    log, port = tmp_path / "gunicorn.log", server.free_port()
    first = server.start("forum.wsgi:app", port, env, log)
    try:
        record = room.Record()
        senders = [Sender(room.join(port, code, number, record)) for number in range(PHONES)]
        assert not record.errors, dict(record.errors)
        stop = threading.Event()
        threads = [threading.Thread(target=s.write_until, args=(stop,)) for s in senders]
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
    finally:
        server.stop(first, signal.SIGKILL)  # master and workers at once, mid-request
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    before = {key for s in senders for key in s.acknowledged}
    unanswered = {key for s in senders for key in s.sent} - before
    assert len(before) > PHONES, "the load had hardly started when the server was killed"

    second = server.start("forum.wsgi:app", port, env, log)
    try:
        for sender in senders:
            sender.phone.client = Client("127.0.0.1", port, sender.phone.client.cookies)
            # The phone still holds the cookie from before the crash: its board still opens.
            board = sender.phone.client.get(f"/j/{code}/board")
            assert board.status == 200, (board.status, log.read_text()[-2000:])
            retries = [k for k in sender.sent if k not in sender.acknowledged]
            retries += sorted(sender.acknowledged)[:2]  # and a double tap of stored ones
            for key in retries:
                assert sender.post(key, sender.sent[key]) == 302, key
    finally:
        server.stop(second)

    cards, integrity = stored_cards(uri)
    keys = [card.client_key for card in cards]
    sent = {key: card_text for s in senders for key, card_text in s.sent.items()}
    assert integrity == "ok"
    assert before <= set(keys), "an acknowledged card was lost"
    assert len(keys) == len(set(keys)) == len({card.text for card in cards}), "a card twice"
    assert set(keys) == {key for s in senders for key in s.acknowledged} == set(sent)
    assert all(card.text == sent[card.client_key] for card in cards)
    print(f"{len(before)} acknowledged before the kill, {len(unanswered)} sent without answer")
