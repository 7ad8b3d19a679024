"""Odd but possible input gets a clear answer and writes nothing, never a 500 or a traceback."""

import pytest

from forum.cli import main
from forum.extensions import db
from forum.models import Measure, Participant, Process, Vote
from forum.services import moderation
from tests.forms import form


def count(model) -> int:
    return db.session.execute(db.select(db.func.count(model.id))).scalar()


def test_join_without_the_optional_fields_joins_without_name(make_forum, app):
    forum = make_forum()
    phone = app.test_client()
    _, data = form(phone.get(f"/j/{forum.join_code}").text, org_type="volunteer")
    del data["name"], data["organisation"]
    response = phone.post(f"/j/{forum.join_code}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{forum.join_code}/group")
    participant = db.session.execute(db.select(Participant)).scalar_one()
    assert (participant.name, participant.organisation) == (None, None)


@pytest.mark.parametrize(
    "key", ["k" * 200, "k" * 21, "kurz", "Leer zeichen-und-mehr-als-22", "", None]
)
def test_vote_with_a_key_the_page_never_sends_is_refused(make_forum, join_as_participant, key):
    forum = make_forum()
    phone, participant = join_as_participant(forum)
    measure = moderation.add_measure(participant.group_id, "", "Sprachcafé", "m" * 22)
    page = phone.get(f"/j/{forum.join_code}/measures").text
    action, data = form(page, f"/measures/{measure.id}/vote")
    if key is None:
        del data["client_key"]
    else:
        data["client_key"] = key
    response = phone.post(action, data=data)
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.text
    assert count(Vote) == 0
    # The key the page gives still places the dot.
    _, data = form(page, f"/measures/{measure.id}/vote")
    assert phone.post(action, data=data).status_code == 302
    assert count(Vote) == 1 and count(Measure) == 1


def nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + closing * depth


def test_import_of_deeply_nested_json_is_refused_clearly(app, tmp_path):
    path = tmp_path / "tief.json"
    path.write_text('{"format": 1, "process": ' + nested("[", "]", 100_000) + "}")
    result = app.test_cli_runner().invoke(main, ["import", "json", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Fehler:" in result.output and "verschachtelt" in result.output
    assert count(Process) == 0


@pytest.mark.parametrize(
    "value", ["[" * 50_000 + "]" * 50_000, "{a = " * 50_000 + "1" + "}" * 50_000]
)
def test_seed_of_deeply_nested_toml_is_refused_clearly(app, tmp_path, value):
    path = tmp_path / "tief.toml"
    path.write_text(f'[process]\nslug = "tief"\ntitle = "Tief"\nextra = {value}\n')
    result = app.test_cli_runner().invoke(main, ["seed", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Fehler:" in result.output and "verschachtelt" in result.output
    assert count(Process) == 0
