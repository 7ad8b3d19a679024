"""What a phone's busiest requests cost the database, and that they survive dropped connections.

On PostgreSQL every message exchange with the server is a round trip: counted from libpq's own
trace of the app's connections (each "ReadyForQuery" ends one), so BEGIN, COMMIT and the pool's
ROLLBACK count as well as the statements.
"""

import tempfile
import time

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from forum.extensions import db
from forum.models import Card
from tests import dbutil
from tests.conftest import csrf_of

JSON = {"Accept": "application/json"}


class Cost:
    """Count statements, commits and (PostgreSQL) round trips of the app's engine while active."""

    def __init__(self):
        self.statements, self.commits = [], 0
        # Read after the block; closed with the object.
        self._trace = tempfile.TemporaryFile("w+")  # noqa: SIM115

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._statement)
        event.listen(db.engine, "commit", self._commit)
        if db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "checkout", self._follow)
            event.listen(db.engine, "checkin", self._leave)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._statement)
        event.remove(db.engine, "commit", self._commit)
        if db.engine.dialect.name == "postgresql":
            event.remove(db.engine, "checkout", self._follow)
            event.remove(db.engine, "checkin", self._leave)

    def _statement(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def _commit(self, conn):
        self.commits += 1

    def _follow(self, dbapi_connection, record, proxy):
        dbapi_connection.pgconn.trace(self._trace.fileno())
        dbapi_connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    def _leave(self, dbapi_connection, record):
        if dbapi_connection is not None:
            dbapi_connection.pgconn.untrace()

    @property
    def round_trips(self) -> int:
        self._trace.seek(0)
        return sum("\tReadyForQuery\t" in line for line in self._trace)


@pytest.fixture
def phone(make_forum, join_as_participant):
    forum = make_forum()
    client, _ = join_as_participant(forum)
    client.code = forum.join_code
    client.csrf = csrf_of(client.get(f"/j/{forum.join_code}/board").text)
    db.session.commit()  # the test's own session holds no connection meanwhile
    return client


def post_card(phone, key, text="Sprachcafés im Stadtteil"):
    data = {"csrf_token": phone.csrf, "quadrant": "strength", "text": text, "client_key": key}
    return phone.post(f"/j/{phone.code}/cards", data=data, headers=JSON)


def poll(phone, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return phone.get(f"/j/{phone.code}/board/live", headers=headers)


def test_a_card_post_and_an_unchanged_poll_cost_what_the_database_needs(phone):
    post_card(phone, "w" * 22, "Erste")  # the pool's connection is open and warm
    etag = poll(phone).headers["ETag"]
    with Cost() as unchanged:
        assert poll(phone, etag).status_code == 304
    with Cost() as card:
        assert post_card(phone, "k" * 22).status_code == 200
    with Cost() as retry:
        assert post_card(phone, "k" * 22).status_code == 200  # the same form again
    # The poll: the phone's state with the board's version, one query.
    assert len(unchanged.statements) == 1, unchanged.statements
    # The card: the phone's state, then one INSERT that skips a key already stored; a retry
    # reads the stored card's id after it.
    assert len(card.statements) == 2, card.statements
    assert "INSERT INTO card" in card.statements[1]
    assert len(retry.statements) == 3, retry.statements
    if db.engine.dialect.name == "postgresql":
        # Autocommit: no BEGIN, COMMIT or ROLLBACK travels besides the statements.
        assert (unchanged.round_trips, card.round_trips, retry.round_trips) == (1, 2, 3)
    else:
        assert (unchanged.commits, card.commits) == (0, 1)
    assert db.session.execute(db.select(db.func.count(Card.id))).scalar() == 2


def test_a_poll_that_finds_a_new_card_reads_it_with_the_state_in_two_statements(phone):
    etag = poll(phone).headers["ETag"]
    post_card(phone, "n" * 22, "Neu im Stadtteil")
    with Cost() as changed:
        answer = poll(phone, etag)
    assert answer.status_code == 200
    assert [item["id"] for item in answer.json["items"]] == [f"card-{_newest_card_id()}"]
    # The phone's state with the version, then the changed cards with the counts: no object
    # loaded, no other statement.
    assert len(changed.statements) == 2, changed.statements
    assert "board_change" in changed.statements[1] and "FROM card" in changed.statements[1]
    if db.engine.dialect.name == "postgresql":
        assert changed.round_trips == 2
    assert poll(phone, answer.headers["ETag"]).status_code == 304


def _newest_card_id() -> int:
    return db.session.execute(db.select(db.func.max(Card.id))).scalar()


def test_after_the_database_dropped_its_connections_phones_post_and_poll_as_before(phone, caplog):
    assert post_card(phone, "a" * 22, "Vorher").status_code == 200
    etag = poll(phone).headers["ETag"]
    db.session.commit()
    drop_connections()

    stored = post_card(phone, "b" * 22, "Nachher")
    assert stored.status_code == 200 and stored.json["ok"] is True
    again = post_card(phone, "b" * 22, "Nachher")  # the outbox's retry of the same card
    assert again.json["card_id"] == stored.json["card_id"]
    changed = poll(phone, etag)
    assert changed.status_code == 200 and "Nachher" in changed.text
    assert poll(phone, changed.headers["ETag"]).status_code == 304
    texts = db.session.execute(db.select(Card.text).order_by(Card.id)).scalars().all()
    assert texts == ["Vorher", "Nachher"]
    # The first request found its connection dropped and ran once more; the pool had replaced
    # the other connections by then.
    assert [r.message for r in caplog.records if "runs once more" in r.message] == [
        "Database connection dropped; add_card runs once more"
    ]


def drop_connections():
    """End every connection the app's pool holds, as a database restart or a firewall would."""
    if not dbutil.using_postgres():
        # SQLite: close the pooled files' connections; using one fails as a dropped one does.
        for record in list(db.engine.pool._pool.queue):
            record.dbapi_connection.close()
        return
    url = make_url(db.engine.url.render_as_string(hide_password=False))
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        ended = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        assert ended, "the app held no connection to drop"
        for _ in range(50):  # the backends exit a moment after the signal
            left = connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            if not left:
                break
            time.sleep(0.1)
