"""Simultaneous taps over real HTTP never place more dots than the forum allows."""

import secrets
import threading

import pytest
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from forum.models import Participant, Vote
from forum.services import moderation
from forum.services.joining import token_hash
from tests import dbutil
from tests.benchmarks.httpload import Client
from tests.conftest import create_forum
from tests.forms import form

TAPS = 8


@pytest.fixture
def served(tmp_path):
    """The app on its own migrated database, served by a threaded werkzeug server."""
    app = create_app(dbutil.app_config(dbutil.migrated_database("_votes", tmp_path)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        yield app, server.server_port
        server.shutdown()
        db.session.remove()
        db.engine.dispose()


def joined_phone(port, forum) -> tuple[Client, Participant]:
    """Join the forum over HTTP and return the phone and its participant."""
    phone = Client("127.0.0.1", port)
    _, data = form(phone.get(f"/j/{forum.join_code}").body.decode(), org_type="volunteer")
    assert phone.post(f"/j/{forum.join_code}", data).status == 302
    participant = db.session.execute(
        db.select(Participant).filter_by(token_hash=token_hash(data["token"]))
    ).scalar_one()
    return phone, participant


def tap_at_once(port, phone: Client, forum, targets) -> list[int]:
    """Send one vote per target from its own connection at the same moment; return statuses."""
    page = phone.get(f"/j/{forum.join_code}/measures").body.decode()
    posts = [form(page, f"/measures/{measure.id}/vote") for measure in targets]
    start = threading.Barrier(len(posts))
    statuses = []

    def tap(action, data):
        tab = Client("127.0.0.1", port, cookies=dict(phone.cookies))
        tab.get(f"/j/{forum.join_code}/group")  # connected and warm before the barrier
        start.wait()
        statuses.append(tab.post(action, {**data, "client_key": secrets.token_urlsafe(16)}).status)
        tab.close()

    threads = [threading.Thread(target=tap, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def dots_of(participant) -> list[int]:
    db.session.expire_all()
    return (
        db.session.execute(db.select(Vote.measure_id).filter_by(participant_id=participant.id))
        .scalars()
        .all()
    )


def test_simultaneous_taps_on_one_measure_place_one_dot(served):
    app, port = served
    forum = create_forum()
    for _ in range(3):  # each round a new phone: a lost race shows in any of them
        phone, participant = joined_phone(port, forum)
        measure = moderation.add_measure(
            participant.group_id, "", "Sprachcafé", secrets.token_urlsafe(16)
        )
        statuses = tap_at_once(port, phone, forum, [measure] * TAPS)
        assert statuses == [302] * TAPS
        assert dots_of(participant) == [measure.id]


def test_simultaneous_taps_on_many_measures_stay_within_the_dots(served):
    app, port = served
    forum = create_forum()
    for _ in range(3):
        phone, participant = joined_phone(port, forum)
        measures = [
            moderation.add_measure(
                participant.group_id, "", f"Maßnahme {n}", secrets.token_urlsafe(16)
            )
            for n in range(TAPS)
        ]
        statuses = tap_at_once(port, phone, forum, measures)
        assert statuses == [302] * TAPS
        placed = dots_of(participant)
        assert len(placed) == forum.dots_per_participant == 3
        assert len(set(placed)) == 3
