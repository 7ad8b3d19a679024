"""`forum seed` adds and updates what the file names; only `--prune` deletes, never results."""

import pytest

from forum import ROOT
from forum.cli import main
from forum.extensions import db
from forum.models import Card, Forum, GuidingGoal, Participant, Process, User
from forum.services import seed_export
from forum.services.seed_schema import ForumSpec
from forum.services.seeding import load_seed, read_seed, save_forum
from tests.test_seed import snapshot

DRESDEN = ROOT / "seed" / "dresden-fachplan-asyl-integration.toml"


def forum(slug) -> Forum | None:
    return db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one_or_none()


def seed(app, *arguments):
    result = app.test_cli_runner().invoke(main, ["seed", *arguments])
    db.session.expire_all()
    return result


@pytest.fixture
def console_additions(app):
    """The Dresden seed, then what a planner added in the console."""
    load_seed(read_seed(DRESDEN))
    process = db.session.execute(db.select(Process)).scalar_one()
    db.session.add(User(username="lorenz", display_name="Fr. Lorenz", role="moderator"))
    db.session.commit()
    first = forum("themenforum-1")
    spec = seed_export.forum_spec(first)
    spec["room"].append({"name": "Saal 9", "capacity": 30})
    spec["group"].append({"name": "Lila", "colour": "#7B2D8E", "room": "Saal 9"})
    spec["agenda"].append({"title": "Ausklang", "minutes": 10})
    save_forum(first, process, ForumSpec.model_validate(spec))
    extra = seed_export.forum_spec(forum("themenforum-2"))
    extra.update(slug="werkstatt", number=9, title="Werkstatt", group=[], room=[])
    save_forum(None, process, ForumSpec.model_validate(extra))
    process.guiding_goals.append(GuidingGoal(position=4, text="Ein viertes Leitziel"))
    db.session.commit()
    return process


def added_in_the_console():
    first = forum("themenforum-1")
    return {
        "room": "Saal 9" in {room.name for room in first.rooms},
        "group": "Lila" in {group.name for group in first.groups},
        "agenda": "Ausklang" in {item.title for item in first.agenda},
        "forum": forum("werkstatt") is not None,
        "leitziel": "Ein viertes Leitziel" in {g.text for g in first.process.guiding_goals},
        "account": db.session.execute(db.select(User).filter_by(username="lorenz")).first()
        is not None,
    }


def test_seed_again_keeps_what_the_console_added_and_updates_what_it_names(
    app, console_additions, tmp_path
):
    edited = tmp_path / "edited.toml"
    edited.write_text(
        DRESDEN.read_text(encoding="utf-8")
        .replace('name = "Hr. Beitz"', 'name = "Herr Beitz"')
        .replace("Gemeinwesenarbeit und Ehrenamt", "Gemeinwesenarbeit & Ehrenamt"),
        encoding="utf-8",
    )
    result = seed(app, str(edited))
    assert result.exit_code == 0, result.output
    assert all(added_in_the_console().values()), added_in_the_console()
    assert result.output.splitlines()[-1] == (
        "Nicht in der Datei, bleibt (löschen mit --prune): forum[themenforum-1].room[Saal 9], "
        "forum[themenforum-1].group[Lila], forum[themenforum-1].agenda[7], forum[werkstatt]"
    )
    first = forum("themenforum-1")
    assert first.title == "Gemeinwesenarbeit & Ehrenamt"
    assert first.groups[0].moderator.display_name == "Herr Beitz"
    # The file's groups and agenda come first, the console's after them, in a stable order.
    assert [g.name for g in first.groups] == ["Orange", "Rot", "Blau", "Grün", "Lila"]
    assert [item.title for item in first.agenda][-1] == "Ausklang"
    process = first.process
    assert [f.slug for f in process.forums][-1] == "werkstatt"
    before = snapshot()
    assert seed(app, str(edited)).exit_code == 0
    assert snapshot() == before


def test_prune_deletes_what_the_file_no_longer_names_when_it_has_no_results(app, console_additions):
    result = seed(app, str(DRESDEN), "--prune")
    assert result.exit_code == 0, result.output
    assert added_in_the_console() == {
        "room": False,
        "group": False,
        "agenda": False,
        "forum": False,
        "leitziel": False,
        "account": True,  # accounts are never pruned: another process may use them
    }
    assert [g.name for g in forum("themenforum-1").groups] == ["Orange", "Rot", "Blau", "Grün"]


def test_prune_refuses_results_names_each_and_changes_nothing(app, console_additions):
    lila = next(g for g in forum("themenforum-1").groups if g.name == "Lila")
    workshop = forum("werkstatt")
    db.session.add(
        Participant(forum_id=lila.forum_id, group_id=lila.id, org_type="volunteer", token_hash="a")
    )
    db.session.add(Participant(forum_id=workshop.id, org_type="volunteer", token_hash="b"))
    db.session.commit()
    before = snapshot()
    result = seed(app, str(DRESDEN), "--prune")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "Fehler: forum[themenforum-1].group[Lila]: hat schon Teilnehmende" in lines[0]
    assert "Fehler: forum[werkstatt]: hat schon Teilnehmende" in lines[1]
    assert lines[-1] == "Nichts geändert." and "Traceback" not in result.output
    assert snapshot() == before


def test_prune_refuses_a_group_with_cards_alone(app, console_additions):
    lila = next(g for g in forum("themenforum-1").groups if g.name == "Lila")
    db.session.add(Card(group_id=lila.id, quadrant="strength", text="Auf Papier"))
    db.session.commit()
    before = snapshot()
    result = seed(app, str(DRESDEN), "--prune")
    assert result.exit_code == 1 and "group[Lila]" in result.output
    assert snapshot() == before


def test_a_forum_of_another_process_is_refused_in_one_line(app, console_additions, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(
        DRESDEN.read_text(encoding="utf-8").replace(
            'slug = "fachplan-asyl-integration-2025-2030"', 'slug = "anderer-prozess"', 1
        ),
        encoding="utf-8",
    )
    before = snapshot()
    result = seed(app, str(other))
    assert result.exit_code == 1, result.output
    assert "Fehler: forum[themenforum-1]: gehört schon zum Prozess" in result.output
    assert "Traceback" not in result.output and snapshot() == before
