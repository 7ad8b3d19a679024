"""Property-based fuzzing: every form, filled with arbitrary text, never gets a 500."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.extensions import db
from forum.services import backup_rules, cards, moderation
from forum.services.auswertung import workspace
from tests.forms import forms
from tests.test_hostile_input import raw_post

# Text as phones send it, plus what breaks naive code: NUL, lone surrogates, markup, bidi marks.
NASTY = st.sampled_from(
    ["\x00", "\x0b", "\x0c", "\ud800", "\udfff", "\ufffe", "<", '"', "'", "&", "%", "\u202e", "\n"]
)
LONG = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=4), st.integers(100, 800)
)
# Just over each kind's limit (forum.services.text), and the review's 100,000-character question.
OVERSIZED = st.builds(lambda n: "x" * n, st.sampled_from([81, 121, 301, 501, 2001, 100_000]))
TEXT = st.one_of(st.text(max_size=40), st.text(NASTY, max_size=12), LONG, OVERSIZED)
PAGES = {
    "join": ("stranger", "/j/{code}"),
    "board": ("phone", "/j/{code}/board"),
    "edit card (phone)": ("phone", "/j/{code}/cards/{own_card}/edit"),
    "measures (phone)": ("phone", "/j/{code}/measures"),
    "sign-in": ("stranger", "/login"),
    "console": ("moderator", "/moderation/groups/{group}"),
    "edit card (console)": ("moderator", "/moderation/groups/{group}/cards/{card}/edit"),
    "edit measure": ("moderator", "/moderation/groups/{group}/measures/{measure}/edit"),
    "planner forum": ("planner", "/planner/forums/{slug}"),
    "edit forum": ("planner", "/planner/forums/{slug}/edit"),
    "new forum": ("planner", "/planner/processes/{process}/forums/new"),
    "edit process": ("planner", "/planner/processes/{process}/edit"),
    "new process": ("planner", "/planner/processes/new"),
    "accounts": ("planner", "/planner/accounts"),
    "edit account": ("planner", "/planner/accounts/{account}/edit"),
    "duplicates": ("planner", "/planner/processes/{process}/duplicates"),
    "auswertung": ("planner", "/planner/processes/{process}/auswertung"),
    "auswertung measures": ("planner", "/planner/processes/{process}/auswertung/massnahmen"),
}
# Signing out would end the fuzzing browser's own session; it takes no text anyway.
SKIPPED_ACTIONS = ("/logout",)


@pytest.fixture
def world(app, make_forum, join_as_participant, moderator_of, planner):
    forum = make_forum()
    phone, person = join_as_participant(forum)
    group = person.group
    own = cards.add_card(person, "strength", "Eigene Karte", "fuzz-own-card-key-0000")
    card = cards.store_card(group.id, "weakness", "Karte", "fuzz-card-key-00000000")
    measure = moderation.add_measure(group.id, "Ziel", "Maßnahme", "fuzz-measure-key-00000")
    moderation.add_measure(group.id, "Ziel", "Maßnahme ähnlich", "fuzz-measure-key-00001")
    cards.store_card(group.id, "weakness", "Karte ähnlich", "fuzz-card-key-00000001")
    workspace.suggest(forum.process)  # the Auswertung's forms need a theme
    ids = {
        "code": forum.join_code,
        "slug": forum.slug,
        "process": forum.process.slug,
        "group": group.id,
        "own_card": own.id,
        "card": card.id,
        "measure": measure.id,
        "account": group.moderator.id,
    }
    clients = {
        "stranger": app.test_client(),
        "phone": phone,
        "moderator": moderator_of(group),
        "planner": planner,
    }
    return clients, ids


@pytest.mark.parametrize("page", list(PAGES))
def test_every_form_survives_arbitrary_text(world, page):
    clients, ids = world
    role, path = PAGES[page]
    client, url = clients[role], path.format(**ids)
    response = client.get(url)
    assert response.status_code == 200, url
    found = [f for f in forms(response.text) if not f["action"].endswith(SKIPPED_ACTIONS)]
    assert found, f"{page} has no form"
    for each in found:
        _fuzz(client, each["action"] or url, each["fields"])
    assert client.get(url).status_code < 500, "the page still shows with what was stored"
    assert stored_problems() == [], "every stored text is cleaned and within its kind's limit"


def stored_problems() -> list[str]:
    """Stored values a backup restore would refuse: what no form may store either."""
    db.session.expire_all()
    found = []
    for name in backup_rules.RULES:
        table_name, column_name = name.split(".")
        column = db.metadata.tables[table_name].c[column_name]
        for value in db.session.execute(db.select(column)).scalars():
            if backup_rules.problem(column, value) is not None:
                found.append(f"{name}: {value!r:.80}")
    return found


def _fuzz(client, action, fields):
    names = [name for name in fields if name != "csrf_token"]
    values = st.fixed_dictionaries({name: st.one_of(st.just(fields[name]), TEXT) for name in names})

    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(values)
    def send(data):
        response = raw_post(client, action, list(data.items()), fields.get("csrf_token", ""))
        assert response.status_code < 500, (action, data)

    send()
