"""Cards from many phones at once: each form key stored once, whoever's commit carries it."""

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

from forum.database import _Queued, _store_batch
from forum.extensions import db
from forum.models import BoardChange, Card
from forum.services import cards
from forum.services.cards import _new_card, _store_cards

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
        _store_batch(connection, batch, _store_cards)
    assert all(queued.done and queued.error is None for queued in batch)
    assert batch[1].result == first
    texts = dict(db.session.execute(db.select(Card.id, Card.text)).all())
    assert texts == {first: "Erste", batch[0].result: "Neu", batch[2].result: "Auch neu"}


def test_a_card_that_cannot_be_stored_fails_alone(app, make_forum):
    group_id = make_forum().groups[0].id
    with db.engine.connect() as connection:
        batch = [
            _Queued(card_values(group_id, "a" * 22, "Gut")),
            _Queued(card_values(999_999, "b" * 22, "Gruppe gibt es nicht")),
        ]
        _store_batch(connection, batch, _store_cards)
    assert batch[0].error is None and batch[0].result is not None
    assert batch[1].error is not None and batch[1].done
    assert db.session.execute(db.select(Card.text)).scalars().all() == ["Gut"]
