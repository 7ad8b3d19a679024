"""The Auswertung's measures: each once, numbered, with Leitziel, themes and a decision."""

import csv
import io

import pytest

from forum.extensions import db
from forum.models import Measure, Process, Theme
from forum.services.auswertung import workspace
from forum.services.csv_export import measures_csv
from forum.services.report import plan_measures
from tests.conftest import csrf_of
from tests.docx_reading import open_docx, section

URL = "/planner/processes/{slug}/auswertung/massnahmen"


@pytest.fixture
def planner(demo_planner, demo):
    """The demo's planner, signed in, with the Auswertung's themes suggested."""
    workspace.suggest(demo)
    return demo_planner


def the_process() -> Process:
    return db.session.execute(db.select(Process)).scalar_one()


def decide(planner, process, measure, version=None, **fields):
    page = planner.get(URL.format(slug=process.slug)).text
    data = {"csrf_token": csrf_of(page), "version": str(version or measure.version)}
    # As the page does: the form sends the Leitziel it shows unless the planner changes it.
    data["guiding_goal"] = str(measure.guiding_goal_id or "")
    data.update(fields)
    return planner.post(f"{URL.format(slug=process.slug)}/{measure.id}", data=data)


def test_every_measure_once_with_its_plan_number(planner):
    process = the_process()
    page = planner.get(URL.format(slug=process.slug)).text
    rows = plan_measures(process, list(process.forums))
    assert len(rows) >= 10
    for row in rows:
        assert page.count(f"{row.number} {row.title}") == 1


def test_adopt_with_leitziel_and_themes_is_saved(planner):
    process = the_process()
    measure = db.session.get(Measure, plan_measures(process, list(process.forums))[0].key)
    themes = db.session.execute(db.select(Theme).limit(2)).scalars().all()
    goal = process.guiding_goals[2]
    answer = decide(
        planner,
        process,
        measure,
        decision="adopt",
        guiding_goal=str(goal.id),
        themes=[str(t.id) for t in themes],
    )
    assert answer.status_code == 302
    db.session.expire_all()
    measure = db.session.get(Measure, measure.id)
    assert measure.decision == "adopt" and measure.guiding_goal_id == goal.id
    assert {t.id for t in measure.themes} == {t.id for t in themes}
    row = next(r for r in plan_measures(process, list(process.forums)) if r.key == measure.id)
    assert row.number.startswith("M 3.")
    assert "übernehmen" in planner.get(URL.format(slug=process.slug)).text


def test_deferring_needs_a_reason_and_keeps_what_was_typed(planner):
    process = the_process()
    measure = db.session.get(Measure, plan_measures(process, list(process.forums))[0].key)
    answer = decide(planner, process, measure, decision="defer", reason="   ")
    assert answer.status_code == 422 and "Grund für das Zurückstellen" in answer.text
    answer = decide(planner, process, measure, decision="defer", reason="x" * 2001)
    assert answer.status_code == 422 and "x" * 2001 in answer.text
    answer = decide(planner, process, measure, decision="defer", reason="Haushalt 2026 offen")
    assert answer.status_code == 302
    db.session.expire_all()
    measure = db.session.get(Measure, measure.id)
    assert (measure.decision, measure.decision_reason) == ("defer", "Haushalt 2026 offen")


def test_a_stale_form_is_refused_and_the_typed_reason_kept(planner):
    process = the_process()
    measure = db.session.get(Measure, plan_measures(process, list(process.forums))[0].key)
    stale = measure.version
    assert decide(planner, process, measure, decision="adopt").status_code == 302
    answer = decide(
        planner, process, measure, version=stale, decision="defer", reason="Eigene Begründung"
    )
    assert answer.status_code == 409
    assert "inzwischen geändert" in answer.text and "Eigene Begründung" in answer.text
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).decision == "adopt"


def test_unknown_decisions_and_foreign_themes_are_refused(planner):
    process = the_process()
    measure = db.session.get(Measure, plan_measures(process, list(process.forums))[0].key)
    assert decide(planner, process, measure, decision="delete").status_code == 422
    assert decide(planner, process, measure, decision="adopt", themes="999999").status_code == 422
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).decision == "open"


def test_the_plan_chapter_follows_the_decisions(planner):
    process = the_process()
    rows = plan_measures(process, list(process.forums))
    adopt, defer = (db.session.get(Measure, row.key) for row in rows[:2])
    assert decide(planner, process, adopt, decision="adopt").status_code == 302
    answer = decide(planner, process, defer, decision="defer", reason="Erst 2027 finanzierbar")
    assert answer.status_code == 302
    document = planner.get(f"/planner/processes/{process.slug}/ergebnisse.docx")
    doc = open_docx(document.data)
    deferred = section(doc, "Zurückgestellte Maßnahmen")
    assert any(text.endswith(defer.title) for text in deferred)
    assert "Entscheidung\tzurückgestellt: Erst 2027 finanzierbar" in deferred
    assert "Entscheidung\tübernommen" in section(doc, f"{rows[0].number} {adopt.title}")


def test_the_measures_csv_carries_decision_reason_and_event_dots(planner):
    process = the_process()
    rows = plan_measures(process, list(process.forums))
    measure = db.session.get(Measure, rows[0].key)
    decide(planner, process, measure, decision="defer", reason="Erst 2027")
    text = measures_csv(list(process.forums))
    table = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"), newline=""), delimiter=";"))
    mine = [r for r in table if r["Maßnahme"] == measure.title and not r["Zusammengeführt in"]]
    assert [
        (r["Entscheidung"], r["Grund"], r["Punkte der Auswertungsveranstaltung"]) for r in mine
    ] == [("zurückgestellt", "Erst 2027", "0")]
    assert {r["Entscheidung"] for r in table} <= {"offen", "übernommen", "zurückgestellt", ""}
