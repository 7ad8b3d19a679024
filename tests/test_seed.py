"""The Dresden process comes from a human-editable seed file; bad files are refused whole."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from forum import ROOT
from forum.cli import main
from forum.extensions import db
from forum.models import Forum, Process, User
from forum.services.seed_export import process_toml
from forum.services.seeding import SeedError, load_seed, read_seed

DRESDEN = ROOT / "seed" / "dresden-fachplan-asyl-integration.toml"


@pytest.fixture
def dresden(app):
    load_seed(read_seed(DRESDEN))
    return db.session.execute(db.select(Process)).scalar_one()


def forum(slug) -> Forum:
    return db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one()


def test_process_and_leitziele_as_on_the_slides(dresden):
    assert dresden.title == "Fachplan Asyl und Integration 2025–2030"
    goals = [goal.text for goal in dresden.guiding_goals]
    assert len(goals) == 3
    assert "fließende und ununterbrochene Integrationsketten" in goals[0]
    assert "bedarfsangemessen und wirkungsorientiert" in goals[1]
    assert "alimentationsfreies Leben" in goals[2]


def test_first_forum_agenda_with_the_seed_durations(dresden):
    first = forum("themenforum-1")
    assert first.title == "Gemeinwesenarbeit und Ehrenamt"
    assert [item.title for item in first.agenda] == [
        "Begrüßung und Einstimmung",
        "Impulsvortrag des Ehrenamtskoordinators Asyl",
        "Impulsvortrag des Sozialamtes – Sozialplanung",
        "Arbeitsphase in Kleingruppen",
        "Auswertung und Zusammenfassung im Plenum",
        "Termine 2025",
    ]
    phases = [(p.phase, p.minutes, p.per_group) for item in first.agenda for p in item.phases]
    assert phases == [
        ("warmup", 15, False),
        ("swot", 30, False),
        ("goals", 25, False),
        ("owners", 10, False),
        ("horizon", 10, False),
        ("plenum", 10, True),
    ]


def test_first_forum_questions_rooms_groups_and_moderators(dresden):
    first = forum("themenforum-1")
    assert (
        first.question("strength") == "Welche Ressourcen/Netzwerke und positiven Aspekte gibt es?"
    )
    assert first.question("weakness") == "Wo bestehen Defizite oder Probleme?"
    assert first.question("opportunity").startswith("Welche (ungenutzten) Potenziale")
    assert first.question("threat").startswith("Welche Hindernisse oder Herausforderungen")
    assert sorted(room.name for room in first.rooms) == ["4/402b", "5/501", "E05"]
    assert [(g.name, g.room.name, g.moderator.display_name) for g in first.groups] == [
        ("Orange", "E05", "Hr. Beitz"),
        ("Rot", "E05", "Fr. Heyde"),
        ("Blau", "5/501", "Fr. Bidell"),
        ("Grün", "4/402b", "Hr. Schäfer"),
    ]


def test_later_forums_and_the_evaluation_event(dresden):
    expected = [
        (
            "themenforum-2",
            "Integrationsprozess in den Ausbildungs- und Arbeitsmarkt",
            dt.date(2025, 1, 23),
        ),
        (
            "themenforum-3",
            "Integrationsprozess in den regulären Wohnungsmarkt/Übergangsmanagement "
            "zum eigenständigen Wohnen",
            dt.date(2025, 2, 13),
        ),
        (
            "themenforum-4",
            "Integrationsstrukturen und -prozesse zur Förderung des Spracherwerbs",
            dt.date(2025, 3, 20),
        ),
    ]
    for slug, title, date in expected:
        assert (forum(slug).title, forum(slug).date, forum(slug).venue) == (
            title,
            date,
            "Sozialamt Dresden",
        )
    evaluation = forum("auswertung")
    assert evaluation.kind == "evaluation"
    assert (evaluation.date, evaluation.date_precision) == (dt.date(2025, 6, 1), "month")
    assert evaluation.venue == "Technische Sammlungen"


DRESDEN_HORIZONS = {"short": "bis 2026", "medium": "2027–2028", "long": "2029–2030"}


def test_the_years_of_each_horizon_come_with_the_process(dresden):
    assert dresden.horizon_years == DRESDEN_HORIZONS
    assert (
        dresden.horizon_short_years,
        dresden.horizon_medium_years,
        dresden.horizon_long_years,
    ) == ("bis 2026", "2027–2028", "2029–2030")


def test_edited_horizon_years_update_in_place_and_a_file_without_them_has_none(dresden, tmp_path):
    process_id = dresden.id
    path = tmp_path / "edited.toml"
    path.write_text(
        GOOD.replace('medium = "2027–2028"', 'medium = "  2027 bis 2028  "'), encoding="utf-8"
    )
    load_seed(read_seed(path))
    process = db.session.execute(db.select(Process)).scalar_one()
    assert process.id == process_id
    assert process.horizon_years == {**DRESDEN_HORIZONS, "medium": "2027 bis 2028"}
    # Like the organiser, the file says everything: without the table the process has no years.
    start = GOOD.index("[process.horizons]")
    without = GOOD[:start] + GOOD[GOOD.index("[[moderator]]", start) :]
    path.write_text(without, encoding="utf-8")
    load_seed(read_seed(path))
    assert db.session.execute(db.select(Process)).scalar_one().horizon_years == {
        "short": "",
        "medium": "",
        "long": "",
    }


def test_seed_export_writes_the_horizon_years_back_and_only_when_there_are_some(dresden, tmp_path):
    exported = process_toml(dresden)
    assert '[process.horizons]\nshort = "bis 2026"\nmedium = "2027–2028"\nlong = "2029–2030"\n' in (
        exported
    )
    path = tmp_path / "export.toml"
    path.write_text(exported, encoding="utf-8")
    assert read_seed(path).process.horizons.model_dump() == DRESDEN_HORIZONS
    # Loading the exported file changes nothing, and the export of that is the same file.
    before = snapshot()
    load_seed(read_seed(path))
    assert snapshot() == before
    assert process_toml(db.session.execute(db.select(Process)).scalar_one()) == exported
    dresden.horizon_short_years = dresden.horizon_medium_years = dresden.horizon_long_years = ""
    db.session.commit()
    assert "\n[process.horizons]\n" not in process_toml(dresden)
    dresden.horizon_long_years = "ab 2029"
    assert process_toml(dresden).count('\nlong = "ab 2029"\n') == 1


def snapshot() -> dict:
    """Every row of every table, to compare the database before and after."""
    names = inspect(db.engine).get_table_names()
    return {
        name: sorted(
            map(tuple, db.session.execute(text(f'SELECT * FROM "{name}"')).all()), key=repr
        )
        for name in names
        if name != "alembic_version"
    }


def test_loading_twice_changes_nothing(dresden):
    before = snapshot()
    load_seed(read_seed(DRESDEN))
    assert snapshot() == before


def test_reloading_an_edited_file_updates_in_place(dresden, tmp_path):
    code = forum("themenforum-1").join_code
    edited = DRESDEN.read_text(encoding="utf-8").replace(
        'name = "Hr. Beitz"', 'name = "Herr Beitz"'
    )
    path = tmp_path / "edited.toml"
    path.write_text(edited, encoding="utf-8")
    load_seed(read_seed(path))
    first = forum("themenforum-1")
    assert first.groups[0].moderator.display_name == "Herr Beitz"
    assert first.join_code == code  # printed QR posters stay valid
    assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 4


GOOD = DRESDEN.read_text(encoding="utf-8")

BAD_FILES = {
    "missing title": (
        GOOD.replace('title = "Gemeinwesenarbeit und Ehrenamt"\n', ""),
        "forum[themenforum-1].title: Angabe fehlt",
    ),
    "unknown room": (
        GOOD.replace('room = "4/402b"\nmoderator', 'room = "4/403"\nmoderator'),
        "Raum „4/403“ ist nicht unter den Räumen",
    ),
    "bad colour": (
        GOOD.replace('colour = "#1F5FBF"', 'colour = "blau"'),
        "forum[themenforum-1].group[Blau].colour: hat nicht die erwartete Form",
    ),
    "typo in a key": (
        GOOD.replace("minutes = 25", "minuten = 25"),
        "forum[themenforum-1].agenda[4].phases[3].minuten: unbekannter Schlüssel (Tippfehler?)",
    ),
    "negative minutes": (
        GOOD.replace("minutes = 30", "minutes = -30"),
        "phases[2].minutes: muss mindestens 1 sein",
    ),
    "absurd minutes": (
        GOOD.replace("minutes = 30", "minutes = 100000000000000000000000"),
        "phases[2].minutes: darf höchstens 600 sein",
    ),
    "undeclared moderator": (
        GOOD.replace('moderator = "bidell"', 'moderator = "mueller"'),
        "Ansprechpartner „mueller“ steht nicht unter [[moderator]]",
    ),
    "month that does not exist": (
        GOOD.replace('date = "2025-06"', 'date = "2025-13"'),
        "Monat 13 gibt es nicht",
    ),
    "duplicate forum slug": (
        GOOD.replace('slug = "themenforum-3"', 'slug = "themenforum-2"'),
        "Kurznamen der Foren doppelt: themenforum-2",
    ),
    "not TOML at all": ("[process\ntitle = ", "kein gültiges TOML"),
    "horizon years too long": (
        GOOD.replace('long = "2029–2030"', f'long = "{"2029, " * 12}"'),
        "process.horizons.long: ist zu lang",
    ),
    "unknown horizon": (
        GOOD.replace('short = "bis 2026"', 'kurz = "bis 2026"'),
        "process.horizons.kurz: unbekannter Schlüssel (Tippfehler?)",
    ),
    "horizon years not text": (
        GOOD.replace('short = "bis 2026"', "short = 2026"),
        "process.horizons.short: hat nicht das erwartete Format",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_names_the_field_and_writes_nothing(app, tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SeedError) as raised:
        read_seed(path)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems
    assert db.session.execute(db.select(db.func.count(Process.id))).scalar() == 0


def test_cli_seed_exits_nonzero_on_a_bad_file_and_loads_a_good_one(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_FILES["unknown room"][0], encoding="utf-8")
    result = runner.invoke(main, ["seed", str(bad)])
    assert result.exit_code == 1
    assert "forum[themenforum-1]" in result.output and "4/403" in result.output
    assert db.session.execute(db.select(db.func.count(Forum.id))).scalar() == 0

    result = runner.invoke(main, ["seed", str(DRESDEN)])
    assert result.exit_code == 0, result.output
    assert db.session.execute(db.select(db.func.count(Forum.id))).scalar() == 5


def test_missing_file_is_reported(app):
    with pytest.raises(SeedError, match="Datei nicht lesbar"):
        read_seed(Path("/nonexistent/seed.toml"))
