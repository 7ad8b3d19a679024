"""One rule for every typed text: staff forms, seed files and backups clean and bound it alike."""

import copy
import html
import json

import pytest
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import String, Text

from forum import ROOT
from forum.cli import main
from forum.extensions import db
from forum.models import Card, Forum, GuidingQuestion, Measure, Process
from forum.services import backup_rules
from forum.services.backup import ACCOUNT_FIELDS, REFERENCES, BackupError, export_process
from forum.services.restore import import_process
from tests.forms import form
from tests.test_backup import empty_database, rich_process, row_counts

DRESDEN = (ROOT / "seed" / "dresden-fachplan-asyl-integration.toml").read_text(encoding="utf-8")


def shown(page: str, typed: str) -> bool:
    """Whether the page puts the typed text back into a field."""
    return html.escape(typed, quote=True) in page or html.escape(typed, quote=False) in page


@pytest.fixture
def forum(make_forum):
    return make_forum()


def edit_forum(planner, forum, **changes):
    url = f"/planner/forums/{forum.slug}/edit"
    _, data = form(planner.get(url).text, "")
    data.update(changes)
    return planner.post(url, data=data)


def test_a_huge_guiding_question_is_refused_and_kept(planner, forum):
    before = db.session.get(GuidingQuestion, (forum.id, "strength")).text
    typed = "Was trägt? " * 10_000  # 110,000 characters: the review's board-and-DOCX breaker
    response = edit_forum(planner, forum, **{"questions-strength": typed})
    assert response.status_code == 422
    assert "Höchstens 2000 Zeichen (109999 eingegeben)." in response.text
    assert shown(response.text, typed.strip())
    db.session.expire_all()
    assert db.session.get(GuidingQuestion, (forum.id, "strength")).text == before


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("title", "T" * 301, "Höchstens 300 Zeichen (301 eingegeben)."),
        ("venue", "Rathaus " * 40, "Höchstens 300 Zeichen (319 eingegeben)."),
        ("motto", "M" * 2001, "Höchstens 2000 Zeichen (2001 eingegeben)."),
        ("agenda-0-title", "A" * 301, "Höchstens 300 Zeichen (301 eingegeben)."),
        ("agenda-0-method", "Methode " * 16, "Höchstens 120 Zeichen (127 eingegeben)."),
    ],
)
def test_over_long_forum_fields_are_refused_and_kept(planner, forum, field, typed, message):
    response = edit_forum(planner, forum, **{field: typed})
    assert response.status_code == 422
    assert message in response.text and shown(response.text, typed.strip())


def test_planner_fields_are_cleaned_like_every_other_text(planner, forum):
    response = edit_forum(
        planner,
        forum,
        venue="Rathaus\x0bSaal\ufffe 1",
        motto="Erste Zeile\x0cZweite\ufffe Zeile",
        **{"questions-threat": "Was\ufeff hindert?\x0b"},
    )
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert forum.venue == "Rathaus Saal 1"
    assert forum.motto == "Erste Zeile\nZweite Zeile"
    assert forum.question("threat") == "Was\ufeff hindert?"


def test_group_and_room_errors_are_german(planner, forum):
    response = edit_forum(
        planner,
        forum,
        **{"group-0-name": "G" * 81, "room-0-name": "R" * 81, "room-0-capacity": "0"},
    )
    assert response.status_code == 422
    assert response.text.count("Höchstens 80 Zeichen (81 eingegeben).") == 2
    assert "Zahl muss" in response.text  # WTForms' NumberRange, in German
    for english in ("Field cannot", "Number must", "characters"):
        assert english not in response.text


def test_process_guiding_goal_over_the_limit_is_refused_and_kept(planner, forum):
    url = f"/planner/processes/{forum.process.slug}/edit"
    typed = "Z" * 2001
    _, data = form(planner.get(url).text, "")
    data["guiding_goals-0"] = typed
    response = planner.post(url, data=data)
    assert response.status_code == 422
    assert "Höchstens 2000 Zeichen (2001 eingegeben)." in response.text and typed in response.text


@pytest.fixture
def group(forum):
    return forum.groups[0]


@pytest.fixture
def console(group, moderator_of):
    return moderator_of(group)


@pytest.mark.parametrize("typed", ["   ", "\ufffe", " \x0b\ufffe "])
def test_moderator_card_edit_refuses_an_empty_text(console, group, typed):
    from forum.services.cards import store_card

    card = store_card(group.id, "strength", "Ehrenamt", "edit-empty-card-key-0000")
    url = f"/moderation/groups/{group.id}/cards/{card.id}/edit"
    _, data = form(console.get(url).text, "", text=typed)
    response = console.post(url, data=data)
    assert response.status_code == 422
    assert "Bitte den Text der Karte eingeben." in response.text
    db.session.expire_all()
    assert db.session.get(Card, card.id).text == "Ehrenamt"


@pytest.mark.parametrize("typed", ["   ", "\ufffe"])
def test_moderator_measure_add_refuses_an_empty_title(console, group, typed):
    page = console.get(f"/moderation/groups/{group.id}").text
    action, data = form(page, "/measures", goal="Ehrenamt stärken", title=typed)
    response = console.post(action, data=data)
    assert response.status_code == 422
    assert "Bitte beschreiben Sie die Maßnahme." in response.text
    assert "Ehrenamt stärken" in response.text  # the goal typed with it stays
    assert db.session.execute(db.select(Measure)).scalars().all() == []


def test_an_over_long_measure_title_keeps_the_typed_text(console, group):
    typed = "Ehrenamtsbörse " * 134  # 2,010 characters
    page = console.get(f"/moderation/groups/{group.id}").text
    action, data = form(page, "/measures", goal="Ziel", title=typed)
    response = console.post(action, data=data)
    assert response.status_code == 422
    assert "Höchstens 2000 Zeichen (2009 eingegeben)." in response.text
    assert typed.strip() in response.text
    again = console.post(action, data={**data, "title": typed[:100]})
    assert again.status_code == 302  # the same form, shortened, goes through
    [measure] = db.session.execute(db.select(Measure)).scalars().all()
    assert measure.title == typed[:100].strip()


def test_a_bare_carriage_return_in_a_card_is_a_line_break(forum, join_as_participant):
    phone, person = join_as_participant(forum)
    page = phone.get(f"/j/{forum.join_code}/board").text
    action, data = form(page, "/cards", text="Erste Zeile\rzweite Zeile")
    data["quadrant"] = "strength"
    response = phone.post(f"/j/{forum.join_code}/cards", data=data)
    assert response.status_code == 302, response.text
    [card] = db.session.execute(db.select(Card)).scalars().all()
    assert card.text == "Erste Zeile\nzweite Zeile"


BAD_SEEDS = {
    "venue over 300": (
        DRESDEN.replace('venue = "', 'venue = "' + "Rathaus " * 40, 1),
        "venue: ist zu lang (höchstens 300 Zeichen)",
    ),
    "agenda title over 300": (
        DRESDEN.replace('title = "Begrüßung und Einstimmung"', f'title = "{"B" * 301}"'),
        "agenda[1].title: ist zu lang (höchstens 300 Zeichen)",
    ),
    "NUL in the venue": (
        DRESDEN.replace('venue = "', 'venue = "Rat\\u0000haus ', 1),
        "venue: enthält unsichtbare Steuerzeichen",
    ),
    "NUL in an agenda title": (
        DRESDEN.replace('title = "Begrüßung und Einstimmung"', 'title = "Begr\\u0000üßung"'),
        "agenda[1].title: enthält unsichtbare Steuerzeichen",
    ),
    "huge guiding question": (
        DRESDEN.replace(
            'strength = "Welche Ressourcen', f'strength = "{"W" * 100_000} Welche Ressourcen'
        ),
        "questions.strength: ist zu lang (höchstens 2000 Zeichen)",
    ),
    "huge Leitziel": (
        DRESDEN.replace("guiding_goals = [", f'guiding_goals = [\n  "{"L" * 2001}",', 1),
        "guiding_goals[1]: ist zu lang (höchstens 2000 Zeichen)",
    ),
}


@pytest.mark.parametrize("name", list(BAD_SEEDS))
def test_forum_seed_refuses_over_long_or_nul_text_and_writes_nothing(app, tmp_path, name):
    content, message = BAD_SEEDS[name]
    assert content != DRESDEN
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["seed", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not any(row_counts().values())


def _group(data):
    return data["forums"][0]["groups"][-1]


BAD_BACKUPS = {
    "slug with a path": (lambda d: d["process"].update(slug="../../x/y"), "Prozess, slug"),
    "one-letter join code": (lambda d: d["forums"][0].update(join_code="a"), "join_code"),
    "superadmin": (lambda d: d["accounts"][0].update(role="superadmin"), "Konto 1, role"),
    "5 MB card": (lambda d: _group(d)["cards"][0].update(text="x" * 5_000_000), "text"),
    "blank card": (lambda d: _group(d)["cards"][0].update(text="   "), "text"),
    "huge question": (
        lambda d: d["forums"][0]["questions"][0].update(text="?" * 100_000),
        "höchstens 2000 Zeichen",
    ),
    "NUL in the venue": (lambda d: d["forums"][0].update(venue="Rat\x00haus"), "Steuerzeichen"),
    "U+FFFE in a measure": (
        lambda d: _group(d)["measures"][0].update(title="Maß\ufffenahme"),
        "Steuerzeichen",
    ),
    "group colour": (lambda d: _group(d).update(colour="red"), "colour"),
    "unknown horizon": (lambda d: _group(d)["measures"][0].update(horizon="nie"), "horizon"),
    "dots out of range": (
        lambda d: d["forums"][0].update(dots_per_participant=1000),
        "dots_per_participant",
    ),
    "vote key": (
        lambda d: next(m for m in _group(d)["measures"] if m["votes"])["votes"][0].update(
            client_key="k"
        ),
        "client_key",
    ),
}


@pytest.mark.parametrize("name", list(BAD_BACKUPS))
def test_import_refuses_what_forms_and_seed_files_refuse(app, join_as_participant, name):
    change, message = BAD_BACKUPS[name]
    data = export_process(rich_process(join_as_participant))
    empty_database()
    variant = copy.deepcopy(data)
    change(variant)
    with pytest.raises(BackupError) as raised:
        import_process(variant)
    assert message in str(raised.value)
    assert len(str(raised.value)) < 500  # a 5 MB value is not repeated in the message
    assert not any(row_counts().values())


def test_cli_import_refuses_a_bad_value_with_a_message(app, join_as_participant, tmp_path):
    data = export_process(rich_process(join_as_participant))
    empty_database()
    data["accounts"][0]["role"] = "superadmin"
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import", "json", str(path)])
    assert result.exit_code == 1
    assert "Fehler: Konto 1, role: ungültiger Wert 'superadmin'" in result.output
    assert db.session.execute(db.select(db.func.count(Process.id))).scalar() == 0


def test_every_backed_up_text_column_has_a_rule_within_its_size(app):
    for table in db.metadata.sorted_tables:
        if table.name not in {*REFERENCES, "user_account"}:
            continue
        for column in table.columns:
            if not isinstance(column.type, String | Text) or column.foreign_keys:
                continue
            if table.name == "user_account" and column.name not in ACCOUNT_FIELDS:
                continue  # never in a backup
            name = f"{table.name}.{column.name}"
            assert name in backup_rules.RULES, name
            if isinstance(column.type, String) and column.type.length:
                with pytest.raises(ValidationError):
                    TypeAdapter(backup_rules.RULES[name]).validate_python(
                        "a" * (column.type.length + 1), strict=True
                    )


def test_a_good_backup_still_restores(app, join_as_participant):
    # The rules refuse nothing the forms, seed files and phones store.
    data = export_process(rich_process(join_as_participant))
    empty_database()
    import_process(data)
    assert db.session.execute(db.select(db.func.count(Forum.id))).scalar() == 5
