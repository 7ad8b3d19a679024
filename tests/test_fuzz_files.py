"""Property-based fuzzing of the files planners load: a JSON backup and a seed file with one value
swapped for a hostile one (deep nesting, oversized text, a wrong type) are either loaded whole or
refused with a message (exit 1); never a traceback, never anything half written."""

import json
import os
import random

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.cli import main
from forum.extensions import db
from forum.services import backup, cards, moderation
from tests.conftest import forum_spec

HOLE = "__HOLE__"
# Raw JSON / TOML text that replaces one value: deep nesting, oversized text, other types.
JSON_VALUES = st.one_of(
    st.builds(lambda n: "[" * n + "]" * n, st.sampled_from([3, 900, 5_000, 100_000])),
    st.builds(lambda n: '{"a": ' * n + "1" + "}" * n, st.sampled_from([3, 5_000])),
    st.builds(lambda n: json.dumps("x" * n), st.sampled_from([81, 301, 2001, 5_000_000])),
    st.sampled_from(["null", "true", "-1", "1e309", '"\\u0000"', '"\\ud800"', "{}", "[]"]),
)
TOML_VALUES = st.one_of(
    st.builds(lambda n: "[" * n + "]" * n, st.sampled_from([3, 900, 50_000])),
    st.builds(lambda n: "{a = " * n + "1" + "}" * n, st.sampled_from([3, 50_000])),
    st.builds(lambda n: json.dumps("x" * n), st.sampled_from([81, 301, 2001, 100_000])),
    st.sampled_from(['"\\u0000"', '"\\u000b"', "-1", "true", "[]", "{}", '""']),
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def places(data, path=()):
    """Every (container path, key) in nested dicts and lists."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*path, key)
        if isinstance(value, dict | list):
            yield from places(value, (*path, key))


def with_hole(data, place):
    """A deep copy of data with the value at `place` replaced by the placeholder."""
    copy = json.loads(json.dumps(data))
    target = copy
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = HOLE
    return copy


def without_none(data):
    """The data with every None value left out, as a seed file would leave the key out."""
    if isinstance(data, dict):
        return {k: without_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [without_none(v) for v in data]
    return data


def rows() -> dict:
    return {
        t.name: db.session.execute(db.select(db.func.count()).select_from(t)).scalar()
        for t in db.metadata.sorted_tables
    }


def loaded_or_refused(result, before: dict) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "Fehler" in result.output
        assert rows() == before, "a refused file wrote something"


@pytest.fixture
def base_backup(make_forum, join_as_participant) -> dict:
    """A real backup of a forum with a participant, a card and a measure."""
    forum = make_forum()
    _, person = join_as_participant(forum, name="Erika", organisation="Verein")
    cards.add_card(person, "strength", "Gute Vernetzung", "fuzz-file-card-key-000")
    moderation.add_measure(person.group_id, "Ziel", "Maßnahme", "fuzz-file-measure-key-0")
    return json.loads(backup.dump_json(backup.export_process(forum.process)))


@FUZZ
@given(data=st.data())
def test_a_backup_with_one_hostile_value_is_restored_whole_or_refused(
    base_backup, app, tmp_path, data
):
    base = base_backup
    place = data.draw(st.sampled_from(list(places(base))))
    value = data.draw(JSON_VALUES)
    path = tmp_path / "sicherung.json"
    path.write_text(json.dumps(with_hole(base, place)).replace(json.dumps(HOLE), value, 1))
    before = rows()
    result = app.test_cli_runner().invoke(main, ["import", "json", "--replace", str(path)])
    loaded_or_refused(result, before)


@FUZZ
@given(data=st.data())
def test_a_seed_file_with_one_hostile_value_is_loaded_or_refused(app, tmp_path, data):
    spec = without_none(forum_spec())  # TOML has no null
    place = data.draw(st.sampled_from(list(places(spec))))
    value = data.draw(TOML_VALUES)
    text = tomli_w.dumps(with_hole(spec, place)).replace(json.dumps(HOLE), value, 1)
    path = tmp_path / f"seed-{random.randrange(10**9)}.toml"
    path.write_text(text, encoding="utf-8")
    before = rows()
    result = app.test_cli_runner().invoke(main, ["seed", str(path)])
    loaded_or_refused(result, before)
    db.session.rollback()
