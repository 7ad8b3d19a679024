"""`forum demo` prepares a working demo: seed, open forum, planner account, optional samples."""

import re

import pytest

from forum.cli import main, prepare_demo
from forum.extensions import db
from forum.models import (
    QUADRANTS,
    Card,
    Forum,
    Group,
    Measure,
    Participant,
    Process,
    Room,
    Theme,
)
from forum.services.auswertung.workspace import workspace


@pytest.fixture(autouse=True)
def demo_instance(tmp_path, monkeypatch):
    """The demo keeps its key and passwords in the test's folder, not the checkout's."""
    monkeypatch.setattr("forum.cli.DEMO_INSTANCE", str(tmp_path / "instance"))


def counts():
    return [
        db.session.execute(db.select(db.func.count(m.id))).scalar()
        for m in (Card, Measure, Participant, Group, Room, Theme)
    ]


def test_demo_command_prints_sign_in_and_join_address(app, tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = app.test_cli_runner().invoke(main, ["demo", "--no-serve", "--database", database])
    assert result.exit_code == 0, result.output
    assert re.search(r"Anmeldung:\s+planung / \S{8,}", result.output)
    assert re.search(r"Beitritt:\s+http://127\.0\.0\.1:5000/j/[A-Za-z0-9_-]{22}", result.output)
    assert "http://127.0.0.1:5000/login" in result.output
    for group, username in [
        ("Orange", "beitz"),
        ("Rot", "heyde"),
        ("Blau", "bidell"),
        ("Grün", "schaefer"),
    ]:
        assert re.search(rf"Gruppe {group}\s+{username} / \S{{8,}}", result.output), result.output


def test_sample_fills_two_forums_once(app):
    prepare_demo(sample=True)
    first = counts()
    prepare_demo(sample=True)
    assert counts() == first
    cards, measures, participants, groups, rooms, themes = first
    assert cards >= 80 and measures >= 24 and participants >= 40 and groups == 8
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    assert forum.is_open
    for slug in ("themenforum-1", "themenforum-2"):
        forum = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()
        assert [g.name for g in forum.groups] == ["Orange", "Rot", "Blau", "Grün"], slug
        for group in forum.groups:
            assert group.room is not None and group.colour != "#777777", (slug, group.name)
            quadrants = {
                c.quadrant
                for c in db.session.execute(db.select(Card).filter_by(group_id=group.id)).scalars()
            }
            assert quadrants == set(QUADRANTS), (slug, group.name)
            measures = db.session.execute(db.select(Measure).filter_by(group_id=group.id))
            assert len(measures.all()) >= 3, (slug, group.name)
    # Sample people are anonymous, like most real participants.
    assert (
        db.session.execute(db.select(Participant).where(Participant.name.is_not(None))).first()
        is None
    )


def test_sample_suggests_themes_across_both_forums(app):
    prepare_demo(sample=True)
    process = db.session.execute(db.select(Process)).scalar_one()
    themes = [theme for quadrant in workspace(process) for theme in quadrant.themes]
    across = [theme for theme in themes if theme.forums == 2]
    assert len(across) >= 3, [t.theme.title for t in themes]
    # The same weakness in other words, from both forums: unclear responsibilities.
    assert any(
        theme.theme.quadrant == "weakness"
        and any("zuständig" in card.text for card in theme.cards)
        and theme.forums == 2
        for theme in across
    )


def test_demo_again_keeps_the_planners_curation(app):
    from forum.services.auswertung.workspace import move_cards

    prepare_demo(sample=True)
    process = db.session.execute(db.select(Process)).scalar_one()
    theme = next(t for q in workspace(process) for t in q.themes if t.forums == 2)
    card = theme.cards[0]
    move_cards(process, [card], None, {theme.theme.id: theme.theme.version})
    before = counts()
    prepare_demo(sample=True)
    assert counts() == before
    singles = {c.id for q in workspace(process) for c in q.singles}
    assert card.id in singles  # the planner took it out; the suggestion leaves it there


def test_demo_without_sample_after_the_sample_keeps_the_results(app):
    prepare_demo(sample=True)
    first = counts()
    prepare_demo(sample=False)
    assert counts() == first


def test_demo_for_the_wifi_prints_and_trusts_the_lan_address(app, tmp_path, monkeypatch):
    monkeypatch.setattr("forum.cli.lan_address", lambda: "192.168.178.20")
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = app.test_cli_runner().invoke(
        main, ["demo", "--no-serve", "--host", "0.0.0.0", "--database", database]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Beitritt:\s+http://192\.168\.178\.20:5000/j/\S{22}", result.output)


def test_a_sample_brings_the_groups_its_forum_lacks(app):
    from forum.cli import DEMO_SAMPLES, DEMO_SEED
    from forum.services.sample import load_sample
    from forum.services.seeding import load_seed, read_seed

    load_seed(read_seed(DEMO_SEED))  # the seed alone: the 2. Themenforum has no groups
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-2")).scalar_one()
    assert forum.groups == []
    added = load_sample(DEMO_SAMPLES[1])
    assert added >= 40 and load_sample(DEMO_SAMPLES[1]) == 0
    rooms = {group.name: (group.room.name, group.colour) for group in forum.groups}
    assert rooms == {
        "Orange": ("E05", "#E8710A"),
        "Rot": ("E05", "#C8102E"),
        "Blau": ("5/501", "#1F5FBF"),
        "Grün": ("3/310", "#2E8540"),
    }
    assert sorted(room.name for room in forum.rooms) == ["3/310", "5/501", "E05"]
