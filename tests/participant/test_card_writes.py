"""Cards from many phones at once: each form key stored once, whichever request stores it."""

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import BoardChange, Card
from forum.services import cards

THREADS, CARDS_PER_THREAD = 8, 20


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


def test_a_retried_card_finds_the_stored_one(app, make_forum):
    group_id = make_forum().groups[0].id
    with db.engine.connect() as connection:
        first = cards.post_card(connection, group_id, None, "strength", "Erste", "k" * 22)
        again = cards.post_card(connection, group_id, None, "strength", "Erste", "k" * 22)
        new = cards.post_card(connection, group_id, None, "strength", "Neu", "n" * 22)
    assert again == first and new != first
    texts = dict(db.session.execute(db.select(Card.id, Card.text)).all())
    assert texts == {first: "Erste", new: "Neu"}


def test_a_card_that_cannot_be_stored_leaves_the_connection_usable(app, make_forum):
    group_id = make_forum().groups[0].id
    with db.engine.connect() as connection:
        with pytest.raises(IntegrityError):
            cards.post_card(connection, 999_999, None, "strength", "Ohne Gruppe", "b" * 22)
        stored = cards.post_card(connection, group_id, None, "strength", "Gut", "a" * 22)
    assert stored is not None
    assert db.session.execute(db.select(Card.text)).scalars().all() == ["Gut"]
