"""`forum demo` prepares a working demo: seed, open forum, planner account, optional samples."""

import re

from forum.cli import main, prepare_demo
from forum.extensions import db
from forum.models import Card, Forum, Measure, Participant, User


def counts():
    return [
        db.session.execute(db.select(db.func.count(m.id))).scalar()
        for m in (Card, Measure, Participant)
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


def test_sample_fills_the_first_forum_once(app):
    prepare_demo(sample=True)
    first = counts()
    prepare_demo(sample=True)
    assert counts() == first
    cards, measures, participants = first
    assert cards >= 40 and measures >= 12 and participants >= 20
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    assert forum.is_open
    for group in forum.groups:
        quadrants = {
            c.quadrant
            for c in db.session.execute(db.select(Card).filter_by(group_id=group.id)).scalars()
        }
        assert quadrants == {"strength", "weakness", "opportunity", "threat"}, group.name
    # Sample people are anonymous, like most real participants.
    assert (
        db.session.execute(db.select(Participant).where(Participant.name.is_not(None))).first()
        is None
    )


def test_demo_resets_the_planner_password_each_run(app):
    first = prepare_demo(sample=False)
    second = prepare_demo(sample=False)
    planner = db.session.execute(db.select(User).filter_by(username="planung")).scalar_one()
    assert first != second
    assert planner.check_password(second) and not planner.check_password(first)


def test_demo_for_the_wifi_prints_and_trusts_the_lan_address(app, tmp_path, monkeypatch):
    monkeypatch.setattr("forum.cli.lan_address", lambda: "192.168.178.20")
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = app.test_cli_runner().invoke(
        main, ["demo", "--no-serve", "--host", "0.0.0.0", "--database", database]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Beitritt:\s+http://192\.168\.178\.20:5000/j/\S{22}", result.output)
