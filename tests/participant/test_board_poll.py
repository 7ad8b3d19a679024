"""The board poll's fast answer: 304 from one query and no template, and never data for strangers."""

import pytest
from flask import template_rendered
from sqlalchemy import event

from forum.extensions import db
from forum.services import phases

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
