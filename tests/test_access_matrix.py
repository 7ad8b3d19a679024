"""Every route of the moderation issue, for every role: exactly the answer it should get.

Roles: anonymous, participant of group A, participant of group B, moderator of A, moderator of
B, planner. 200 = page, 302 = sent elsewhere (sign-in, join, or done), 403 = refused, 404 = not
found there. A phone that joined a forum gets 403 on staff pages rather than the sign-in form. Every change is also tried without a CSRF token and must be refused with 400.
"""

from types import SimpleNamespace

import pytest

from forum.extensions import db
from forum.models import Card, Measure
from forum.planner import exports
from forum.services import cards, moderation
from tests.conftest import csrf_of

ROLES = ["anonymous", "participant_a", "participant_b", "moderator_a", "moderator_b", "planner"]
TWO_GROUPS = [
    ("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz"),
    ("Blau", "#1F5FBF", "5/501", "bidell", "Fr. Bidell"),
]
# answers in the order of ROLES
STAFF_PAGE = (302, 403, 403, 200, 403, 200)
PLANNER_PAGE = (302, 403, 403, 403, 403, 200)
STAFF_CHANGE = (302, 403, 403, 302, 403, 302)
PHONE_PAGE = (302, 200, 200, 302, 302, 302)

GET_ROUTES = {
    "moderation start": ("/moderation/", (302, 403, 403, 200, 200, 200)),
    "console": ("/moderation/groups/{a}", STAFF_PAGE),
    "console live": ("/moderation/groups/{a}/live", STAFF_PAGE),
    "edit card": ("/moderation/groups/{a}/cards/{card}/edit", STAFF_PAGE),
    "edit measure": ("/moderation/groups/{a}/measures/{measure}/edit", STAFF_PAGE),
    "projector": ("/moderation/groups/{a}/projector", STAFF_PAGE),
    "projector live": ("/moderation/groups/{a}/projector/live", STAFF_PAGE),
    "console timer": ("/moderation/groups/{a}/timer", STAFF_PAGE),
    "phone measures": ("/j/{code}/measures", PHONE_PAGE),
    "phone measures live": ("/j/{code}/measures/live", PHONE_PAGE),
    "phone timer": ("/j/{code}/timer", PHONE_PAGE),
    "forum pdf": ("/planner/forums/{slug}/ergebnisse.pdf", PLANNER_PAGE),
    "process pdf": ("/planner/processes/{process}/ergebnisse.pdf", PLANNER_PAGE),
    "themes csv": ("/planner/processes/{process}/themen.csv", PLANNER_PAGE),
    "auswertung": ("/planner/processes/{process}/auswertung", PLANNER_PAGE),
    "new forum like": ("/planner/processes/{process}/forums/new?like={slug}", PLANNER_PAGE),
    "delete forum": ("/planner/forums/{slug}/delete", PLANNER_PAGE),
}
POST_ROUTES = {
    "quick card": (
        "/moderation/groups/{a}/cards",
        {"text": "Neu", "quadrant": "threat", "client_key": "k" * 22},
        STAFF_CHANGE,
    ),
    "edit card": (
        "/moderation/groups/{a}/cards/{card}/edit",
        {"text": "Neu", "quadrant": "threat", "version": "1"},
        STAFF_CHANGE,
    ),
    "move card": ("/moderation/groups/{a}/cards/{card}/move", {"quadrant": "threat"}, STAFF_CHANGE),
    "hide card": ("/moderation/groups/{a}/cards/{card}/hide", {"hidden": "1"}, STAFF_CHANGE),
    "merge cards": (
        "/moderation/groups/{a}/cards/merge",
        {"card": ["{card}", "{card2}"]},
        STAFF_CHANGE,
    ),
    "add measure": (
        "/moderation/groups/{a}/measures",
        {"title": "Neu", "client_key": "m" * 22},
        STAFF_CHANGE,
    ),
    "edit measure": (
        "/moderation/groups/{a}/measures/{measure}/edit",
        {"title": "Neu", "version": "1", "guiding_goal": "0"},
        STAFF_CHANGE,
    ),
    "hide measure": (
        "/moderation/groups/{a}/measures/{measure}/hide",
        {"hidden": "1"},
        STAFF_CHANGE,
    ),
    "extend phase": ("/moderation/groups/{a}/extend", {}, STAFF_CHANGE),
    "propose measure": (
        "/j/{code}/measures",
        {"title": "Vorschlag", "client_key": "p" * 22},
        (302, 302, 302, 302, 302, 302),
    ),
    "vote": (
        "/j/{code}/measures/{measure}/vote",
        {"client_key": "v" * 22},
        (302, 302, 404, 302, 302, 302),
    ),
    "unvote": ("/j/{code}/measures/{measure}/unvote", {}, (302, 302, 404, 302, 302, 302)),
    "suggest themes": (
        "/planner/processes/{process}/auswertung/vorschlagen",
        {},
        (302, 403, 403, 403, 403, 302),
    ),
    "move cards": (
        "/planner/processes/{process}/auswertung/karten",
        {"card": "{card}", "target": "new"},
        (302, 403, 403, 403, 403, 302),
    ),
    "planner phase": (
        "/planner/forums/{slug}/phase",
        {"action": "next"},
        (302, 403, 403, 403, 403, 302),
    ),
    # The forum has participants and results: even a planner is refused.
    "delete forum": ("/planner/forums/{slug}/delete", {}, (302, 403, 403, 403, 403, 409)),
    "weitere Zeile": (
        "/planner/forums/{slug}/edit",
        {"more": "group"},
        (302, 403, 403, 403, 403, 200),
    ),
}


@pytest.fixture
def world(app, make_forum, join_as_participant, moderator_of, planner, monkeypatch):
    """A forum of two groups with a card and a measure in A, and a browser per role."""
    # Who may download is asked here, not whether LibreOffice converts (test_pdf_export.py).
    monkeypatch.setattr(exports, "docx_to_pdf", lambda document: b"%PDF-1.7 stand-in")
    forum = make_forum(groups=TWO_GROUPS)
    group_a, group_b = forum.groups
    phones = {}
    while len(phones) < 2:
        phone, person = join_as_participant(forum)
        phones.setdefault(person.group_id, phone)
    card = cards.store_card(group_a.id, "strength", "Karte A", "card-a-key-0000000000")
    card2 = cards.store_card(group_a.id, "strength", "Karte A2", "card-a-key-0000000001")
    measure = moderation.add_measure(group_a.id, "", "Maßnahme A", "measure-a-key-00000000")
    clients = {
        "anonymous": app.test_client(),
        "participant_a": phones[group_a.id],
        "participant_b": phones[group_b.id],
        "moderator_a": moderator_of(group_a),
        "moderator_b": moderator_of(group_b),
        "planner": planner,
    }
    ids = {
        "a": group_a.id,
        "card": card.id,
        "card2": card2.id,
        "measure": measure.id,
        "code": forum.join_code,
        "slug": forum.slug,
        "process": forum.process.slug,
    }
    return SimpleNamespace(clients=clients, ids=ids, forum=forum)


def _token(world, role) -> str:
    page = {
        "anonymous": "/login",
        "participant_a": "/j/{code}/board",
        "participant_b": "/j/{code}/board",
        "moderator_a": "/moderation/",
        "moderator_b": "/moderation/",
        "planner": "/planner/",
    }[role]
    return csrf_of(world.clients[role].get(page.format(**world.ids)).text)


@pytest.mark.parametrize("route", list(GET_ROUTES))
@pytest.mark.parametrize("role", ROLES)
def test_pages(world, route, role):
    path, expected = GET_ROUTES[route]
    response = world.clients[role].get(path.format(**world.ids))
    assert response.status_code == expected[ROLES.index(role)], (route, role)


def _data(fields: dict, ids: dict) -> dict:
    return {
        k: [v.format(**ids) for v in value] if isinstance(value, list) else value.format(**ids)
        for k, value in fields.items()
    }


def _snapshot():
    card_rows = db.session.execute(
        db.select(Card.id, Card.text, Card.quadrant, Card.hidden, Card.merged_into_id)
    ).all()
    measure_rows = db.session.execute(db.select(Measure.id, Measure.title, Measure.hidden)).all()
    return sorted(card_rows), sorted(measure_rows)


@pytest.mark.parametrize("route", list(POST_ROUTES))
@pytest.mark.parametrize("role", ROLES)
def test_changes(world, route, role):
    path, fields, expected = POST_ROUTES[route]
    url, data = path.format(**world.ids), _data(fields, world.ids)
    client = world.clients[role]
    before = _snapshot()
    assert client.post(url, data=data).status_code == 400, "a change without CSRF token"
    assert _snapshot() == before
    response = client.post(url, data={**data, "csrf_token": _token(world, role)})
    assert response.status_code == expected[ROLES.index(role)], (route, role, response.location)
    if response.status_code in (403, 404) or role in ("anonymous",):
        assert _snapshot() == before, "a refused change must change nothing"
