"""The board poll's fast answer: 304 from one query and no template, and never data for strangers."""

import pytest
from flask import template_rendered
from sqlalchemy import event

from forum.extensions import db
from forum.models import QUADRANTS, Participant
from forum.services import cards, moderation, phases

AGENDA = [
    {
        "title": "Arbeitsphase in Kleingruppen",
        "phases": [
            {"key": "swot", "title": "4-Feldermatrix", "minutes": 30},
            {"key": "goals", "title": "Ziele und Maßnahmen", "minutes": 25},
        ],
    }
]


@pytest.fixture
def forum(make_forum):
    return make_forum(agenda=AGENDA)


@pytest.fixture
def phone(forum, join_as_participant):
    return join_as_participant(forum)[0]


def live_url(forum) -> str:
    return f"/j/{forum.join_code}/board/live"


class Watch:
    """Count the SQL statements sent and the templates rendered while it is active."""

    def __init__(self, app):
        self.app, self.statements, self.templates = app, [], []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._statement)
        template_rendered.connect(self._template, self.app)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._statement)
        template_rendered.disconnect(self._template, self.app)

    def _statement(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def _template(self, sender, template, context, **extra):
        self.templates.append(template.name)


def test_an_unchanged_board_is_answered_304_from_one_query_without_templates(app, phone, forum):
    url = live_url(forum)
    etag = phone.get(url).headers["ETag"]
    with Watch(app) as watch:
        response = phone.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag
    assert len(watch.statements) == 1, watch.statements
    assert watch.templates == []
    # Nothing changed in the session, so no cookie is signed and sent again.
    assert "Set-Cookie" not in response.headers


def test_the_page_and_the_poll_agree_on_the_version(phone, forum):
    page = phone.get(f"/j/{forum.join_code}/board").text
    etag = phone.get(live_url(forum)).headers["ETag"]
    # The first poll after the page loads is a cheap 304 only if both name the same version.
    assert 'data-etag="' + etag.replace('"', "&#34;") + '"' in page


def test_a_new_phase_is_a_new_version_of_the_board(phone, forum):
    etag = phone.get(live_url(forum)).headers["ETag"]
    phases.advance(forum)  # the 4-Feldermatrix starts
    db.session.commit()
    in_swot = phone.get(live_url(forum), headers={"If-None-Match": etag})
    assert in_swot.status_code == 200 and in_swot.headers["ETag"] != etag
    phases.advance(forum)  # Ziele und Maßnahmen: the card forms close
    db.session.commit()
    in_goals = phone.get(live_url(forum), headers={"If-None-Match": in_swot.headers["ETag"]})
    assert in_goals.status_code == 200 and in_goals.headers["ETag"] != in_swot.headers["ETag"]


def test_a_closed_forum_keeps_its_phones_polling(phone, forum):
    etag = phone.get(live_url(forum)).headers["ETag"]
    forum.is_open = False
    db.session.commit()
    assert phone.get(live_url(forum), headers={"If-None-Match": etag}).status_code == 304


def test_a_guessed_version_gets_no_answer_without_a_token(app, phone, forum):
    etag = phone.get(live_url(forum)).headers["ETag"]
    stranger = app.test_client()
    response = stranger.get(live_url(forum), headers={"If-None-Match": etag})
    assert response.status_code == 302
    assert response.location.endswith(f"/j/{forum.join_code}")


def test_a_token_of_another_forum_does_not_open_this_board(
    app, make_forum, join_as_participant, forum
):
    other = make_forum()
    phone, _ = join_as_participant(other)
    etag = phone.get(live_url(other)).headers["ETag"]
    response = phone.get(live_url(forum), headers={"If-None-Match": etag})
    assert response.status_code == 302
    assert response.location.endswith(f"/j/{forum.join_code}")


def test_an_unknown_forum_code_gets_the_unavailable_page(phone):
    response = phone.get("/j/AAAAAAAAAAAAAAAAAAAAAA/board/live", headers={"If-None-Match": "*"})
    assert response.status_code == 404
    assert "Dieses Forum ist nicht verfügbar" in response.text


def poll(phone, forum, etag):
    response = phone.get(live_url(forum), headers={"If-None-Match": etag})
    assert response.status_code == 200, response.status_code
    return response.get_json(), response.headers["ETag"]


@pytest.fixture
def mate(forum, phone, join_as_participant):
    """A second phone in the first phone's group."""
    _, participant = join_as_participant(forum)
    me = db.session.execute(db.select(Participant).order_by(Participant.id)).scalars().first()
    participant.group_id = me.group_id
    db.session.commit()
    return participant


def test_a_new_card_comes_alone_with_the_timer(phone, forum, mate):
    cards.add_card(mate, "strength", "Viele Vereine", "k-1")
    etag = phone.get(live_url(forum)).headers["ETag"]
    card = cards.add_card(mate, "threat", "Zu wenig Ärzte", "k-2")
    body, fresh = poll(phone, forum, etag)
    assert fresh != etag
    assert [(i["id"], i["in"]) for i in body["items"]] == [(f"card-{card.id}", "cards-threat")]
    assert "Zu wenig Ärzte" in body["items"][0]["html"]
    assert body["items"][0]["html"].startswith(f'<li class="card" id="card-{card.id}"')
    # The phase did not change: no notes, and no whole lists; the tabs' counts come.
    assert sorted(body["regions"]) == [f"count-{q}" for q in sorted(QUADRANTS)]
    assert "(1 Karte)" in body["regions"]["count-threat"]
    assert body["timer"]["running"] is False


def test_moved_edited_merged_hidden_and_deleted_cards(phone, forum, mate):
    a, b, c, d, e = (cards.add_card(mate, "strength", f"Karte {n}", f"k-{n}") for n in range(5))
    etag = phone.get(live_url(forum)).headers["ETag"]
    moderation.move_card(a, "weakness")
    cards.edit_card(b, "Karte 1, genauer", "strength", b.version)
    moderation.merge_cards([c, d])
    moderation.set_hidden(e, True)
    body, etag = poll(phone, forum, etag)
    placed = {i["id"]: i["in"] for i in body["items"]}
    assert placed == {
        f"card-{a.id}": "cards-weakness",
        f"card-{b.id}": "cards-strength",
        f"card-{c.id}": "cards-strength",
    }
    assert set(body["remove"]) == {f"card-{d.id}", f"card-{e.id}"}
    cards.delete_card(b)
    body, _ = poll(phone, forum, etag)
    assert f"card-{b.id}" in body["remove"]


def test_a_phone_too_far_behind_gets_the_whole_board(phone, forum, mate):
    cards.add_card(mate, "strength", "Viele Vereine", "k-1")
    for tag in ('"g1r7p1f0"', '"something else"', '"g1v99999.99999p1f0"'):
        response = phone.get(live_url(forum), headers={"If-None-Match": tag})
        body = response.get_json()
        assert "Viele Vereine" in body["regions"]["cards-strength"]
        assert set(body["regions"]) >= {"cards-weakness", "note-threat"}
        assert "items" not in body


def test_a_phase_change_brings_the_notes_and_the_new_timer(phone, forum):
    etag = phone.get(live_url(forum)).headers["ETag"]
    phases.advance(forum)  # the 4-Feldermatrix
    db.session.commit()
    phases.advance(forum)  # Ziele und Maßnahmen: the card forms close
    body, _ = poll(phone, forum, etag)
    assert body["timer"]["title"] == "Ziele und Maßnahmen"
    assert "phase-note" in body["regions"]["note-strength"]
    assert "items" not in body and "remove" not in body
