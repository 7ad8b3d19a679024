"""Ids in forms come from the page; a value that only looks like a number gets a refusal, never
a 500: "¹" and "٣" pass str.isdigit() but not int(), and 30 digits overflow an integer column."""

import pytest

from forum.extensions import db
from forum.models import Measure
from forum.services import cards, moderation
from forum.services.auswertung import workspace
from forum.validators import as_id
from tests.conftest import csrf_of

HOSTILE = ["¹", "٣", "9" * 30, "2147483648", "-1", "0", " 1", "1.0"]


def test_as_id_accepts_plain_ids_only():
    assert as_id("42") == 42 and as_id("2147483647") == 2147483647
    assert all(as_id(value) is None for value in HOSTILE + ["", None])


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_in_staff_forms_are_refused_not_crashed(
    value, make_forum, planner, moderator_of
):
    forum = make_forum()
    group = forum.groups[0]
    card = cards.store_card(
        group.id, "weakness", "Unklar, wer zuständig ist", "ids-card-key-000000000"
    )
    cards.store_card(group.id, "weakness", "Zuständigkeiten sind unklar", "ids-card-key-000000001")
    measure = moderation.add_measure(group.id, "Ziel", "Lotsen", "ids-measure-key-000000")
    workspace.suggest(forum.process)
    theme = forum.process.themes[0]
    slug = forum.process.slug
    token = csrf_of(planner.get("/planner/").text)
    posts = [
        (f"/planner/processes/{slug}/duplicates/merge", {"keep": value, "other": str(measure.id)}),
        (f"/planner/processes/{slug}/auswertung/karten", {"card": value, "target": value}),
        (f"/planner/processes/{slug}/auswertung/karten", {"card": str(card.id), "target": value}),
        (
            f"/planner/processes/{slug}/auswertung/themen/{theme.id}/zusammenfuehren",
            {"other": value, f"version-{value}": "1"},
        ),
        (
            f"/planner/processes/{slug}/auswertung/massnahmen/{measure.id}",
            {
                "version": str(measure.version),
                "decision": "open",
                "guiding_goal": value,
                "themes": value,
            },
        ),
    ]
    for url, data in posts:
        answer = planner.post(url, data={"csrf_token": token, **data})
        assert answer.status_code < 500, (url, value)
    console = moderator_of(group)
    token = csrf_of(console.get(f"/moderation/groups/{group.id}").text)
    answer = console.post(
        f"/moderation/groups/{group.id}/cards/merge",
        data={"csrf_token": token, "card": [value, value]},
    )
    assert answer.status_code < 500
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).merged_into_id is None
