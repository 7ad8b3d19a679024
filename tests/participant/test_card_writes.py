"""Cards from many phones at once: each form key stored once, whoever's commit carries it."""

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy import text

from forum.extensions import db
from forum.models import BoardChange, Card
from forum.services import cards
from forum.services.cards import _new_card, _Queued, _store_batch

THREADS, CARDS_PER_THREAD = 8, 20


def card_values(group_id, key, text="Sprachcafé"):
    return _new_card(group_id, None, "strength", text, key)


def test_cards_posted_at_once_are_each_stored_once(app, make_forum):
    forum = make_forum()
    group_ids = [group.id for group in forum.groups]
    engine = db.engine
    # Every key is sent by two threads: a double tap, a retry racing the original.
    keys = [secrets.token_urlsafe(16) for _ in range(THREADS * CARDS_PER_THREAD // 2)]
    jobs = [(key, group_ids[n % len(group_ids)]) for n, key in enumerate(keys)] * 2
    start = threading.Barrier(THREADS)

    def post(share):
        start.wait()
        answers = []
        with engine.connect() as connection:
            for key, group_id in share:
                card_id = cards.post_card(connection, group_id, None, "strength", key, key)
                answers.append((key, card_id))
        return answers

    shares = [jobs[n::THREADS] for n in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        answers = [answer for share in pool.map(post, shares) for answer in share]

    stored = dict(db.session.execute(db.select(Card.client_key, Card.id)).all())
    assert len(stored) == len(keys)
    assert all(stored[key] == card_id for key, card_id in answers)
    # Each card is logged once, in its group: the live pages find every one of them.
    logged = db.session.execute(db.select(BoardChange.group_id, BoardChange.item_id)).all()
    assert sorted(logged) == sorted(db.session.execute(db.select(Card.group_id, Card.id)).all())


def test_a_batch_with_a_retried_card_stores_the_new_ones_and_finds_the_old(app, make_forum):
    group_id = make_forum().groups[0].id
    with db.engine.connect() as connection:
        first = cards.post_card(connection, group_id, None, "strength", "Erste", "k" * 22)
        batch = [
            _Queued(card_values(group_id, "n" * 22, "Neu")),
            _Queued(card_values(group_id, "k" * 22, "Erste")),
            _Queued(card_values(group_id, "m" * 22, "Auch neu")),
        ]
        _store_batch(connection, batch)
    assert all(queued.done and queued.error is None for queued in batch)
    assert batch[1].card_id == first
    texts = dict(db.session.execute(db.select(Card.id, Card.text)).all())
    assert texts == {first: "Erste", batch[0].card_id: "Neu", batch[2].card_id: "Auch neu"}


def test_a_card_that_cannot_be_stored_fails_alone(app, make_forum):
    group_id = make_forum().groups[0].id
    with db.engine.connect() as connection:
        batch = [
            _Queued(card_values(group_id, "a" * 22, "Gut")),
            _Queued(card_values(999_999, "b" * 22, "Gruppe gibt es nicht")),
        ]
        _store_batch(connection, batch)
    assert batch[0].error is None and batch[0].card_id is not None
    assert batch[1].error is not None and batch[1].done
    assert db.session.execute(db.select(Card.text)).scalars().all() == ["Gut"]


def test_a_posted_card_is_stored_as_the_orm_stores_one(app, make_forum, monkeypatch):
    group_id = make_forum().groups[0].id
    # On the full second: a time written without SQLAlchemy's type would lose its ".000000".
    monkeypatch.setattr(cards, "utcnow", lambda: datetime(2026, 11, 21, 9, 30))
    with db.engine.connect() as connection:
        posted_id = cards.post_card(connection, group_id, None, "strength", "Direkt", "p" * 22)
    by_orm_id = cards.store_card(group_id, "strength", "Über das ORM", "o" * 22).id
    rows = {row.id: row._asdict() for row in db.session.execute(db.select(Card.__table__))}
    posted, by_orm = rows[posted_id], rows[by_orm_id]
    own = {"id", "text", "client_key", "created_at", "updated_at"}
    assert {k: v for k, v in posted.items() if k not in own} == {
        k: v for k, v in by_orm.items() if k not in own
    }
    assert posted["created_at"] == posted["updated_at"] == datetime(2026, 11, 21, 9, 30)
    # As the database holds them (on SQLite: text), the times are spelled alike too.
    raw = db.session.execute(text("SELECT created_at FROM card ORDER BY id")).scalars().all()
    assert [type(value) for value in raw] == [type(raw[1])] * 2
    if isinstance(raw[1], str):  # SQLite: text in SQLAlchemy's spelling, which sorts as time
        assert len(raw[0]) == len(raw[1])
