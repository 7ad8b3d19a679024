"""Merging measures across forums loses nothing: the DOCX and the CSV keep every origin and
every differing proposal, each group keeps its own measure with its own dots, and a split undoes it."""

import csv
import io

from forum.extensions import db
from forum.models import Card, Measure, Vote
from forum.services.csv_export import MEASURE_HEADER, measures_csv
from forum.services.docx_export import build_docx
from forum.services.report import process_report
from tests.docx_reading import field_values, headings, open_docx, table_after, table_rows
from tests.forms import form


def add(group, title, votes=0, **fields) -> Measure:
    measure = Measure(
        group_id=group.id, title=title, votes=[Vote() for _ in range(votes)], **fields
    )
    db.session.add(measure)
    db.session.commit()
    return measure


def csv_rows(forums) -> list[dict]:
    text = measures_csv(forums).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def merge_in_console(planner, forum, keep, other):
    page = planner.get(f"/planner/processes/{forum.process.slug}/duplicates").text
    action, data = form(page, "/merge")
    data.update(keep=str(keep.id), other=str(other.id))
    assert planner.post(action, data=data).status_code == 302


def test_a_merge_across_forums_keeps_every_origin_owner_and_indicator(planner, make_forum):
    first, second = make_forum(), make_forum(number=2, title="Ausbildungs- und Arbeitsmarkt")
    goal = first.process.guiding_goals[1]
    card = Card(group_id=second.groups[2].id, quadrant="weakness", text="Wohnungssuche dauert ewig")
    db.session.add(card)
    keep = add(
        first.groups[0],
        "Wohnungslotsen in allen Stadtbezirken einsetzen",
        votes=3,
        owner="Sozialamt",
        indicator="40 Familien pro Jahr",
        guiding_goal=goal,
        horizon="medium",
    )
    other = add(
        second.groups[2],
        "Wohnungslotsen für alle Stadtbezirke einsetzen",
        votes=2,
        owner="Jobcenter Dresden",
        indicator="Wartezeit halbiert",
        method="Pilot in Prohlis",
        horizon="short",
        cards=[card],
    )
    merge_in_console(planner, first, keep, other)

    report = process_report(first.process)
    [measure] = report.measures
    assert measure.number == "M 2.1" and measure.votes == 5
    doc = open_docx(build_docx(report))
    assert headings(doc, 2).count("M 2.1 Wohnungslotsen in allen Stadtbezirken einsetzen") == 1
    fields = field_values(doc, "M 2.1 Wohnungslotsen in allen Stadtbezirken einsetzen")
    assert "1. Themenforum, Gruppe Orange" in fields["Herkunft"]
    assert f"{second.number}. Themenforum, Gruppe Blau" in fields["Herkunft"]
    for value in (
        "Jobcenter Dresden",
        "Wartezeit halbiert",
        "Pilot in Prohlis",
        "kurzfristig",
        other.title,
    ):
        assert value in fields["Weitere Vorschläge"]
    assert fields["Antwort auf"] == "Schwäche: „Wohnungssuche dauert ewig“"
    blau = table_rows(
        table_after(doc, f"Maßnahmenvorschläge der Gruppe Blau, {second.number}. Themenforum")
    )
    assert blau[1] == [
        "zusammengeführt in M 2.1",
        other.title,
        "Jobcenter Dresden",
        "kurzfristig",
        "Wartezeit halbiert",
        "2",
    ]
    orange = table_rows(table_after(doc, "Maßnahmenvorschläge der Gruppe Orange, 1. Themenforum"))
    assert orange[1][:3] == ["M 2.1", keep.title, "Sozialamt"] and orange[1][-1] == "3"

    rows = csv_rows(list(first.process.forums))
    assert list(rows[0]) == MEASURE_HEADER
    assert [
        (
            r["Nr."],
            r["Zusammengeführt in"],
            r["Gruppe"],
            r["Verantwortlich"],
            r["Indikator"],
            r["Punkte"],
        )
        for r in rows
    ] == [
        ("M 2.1", "", "Orange", "Sozialamt", "40 Familien pro Jahr", "3"),
        ("M 2.1", "M 2.1", "Blau", "Jobcenter Dresden", "Wartezeit halbiert", "2"),
    ]
    assert rows[1]["Karten"] == "Wohnungssuche dauert ewig"
    assert {r["Forum"] for r in rows} == {first_heading(first), first_heading(second)}
    only_second = csv_rows([second])
    assert [(r["Gruppe"], r["Nr."]) for r in only_second] == [
        ("Orange", "M 2.1"),
        ("Blau", "M 2.1"),
    ]


def first_heading(forum) -> str:
    return f"{forum.number}. Themenforum: {forum.title}"


def test_splitting_a_merge_restores_both_measures_as_they_were(planner, make_forum):
    first, second = make_forum(), make_forum(number=2, title="Ausbildungs- und Arbeitsmarkt")
    keep = add(
        first.groups[0],
        "Sprachcafés in allen Stadtteilen ausbauen",
        votes=1,
        owner="VHS",
        indicator="12 Cafés",
    )
    other = add(
        second.groups[1],
        "Sprachcafés in allen Stadtteilen weiter ausbauen",
        votes=4,
        owner="Träger",
        indicator="8 Cafés",
    )
    before = {m.title: (m.owner, m.indicator) for m in process_report(first.process).measures}
    merge_in_console(planner, first, keep, other)
    assert len(process_report(first.process).measures) == 1
    page = planner.get(f"/planner/processes/{first.process.slug}/duplicates").text
    action, data = form(page, "/split")
    assert planner.post(action, data=data).status_code == 302
    after = process_report(first.process).measures
    assert {m.title: (m.owner, m.indicator) for m in after} == before
    assert sorted((m.title, m.votes) for m in after) == [
        ("Sprachcafés in allen Stadtteilen ausbauen", 1),
        ("Sprachcafés in allen Stadtteilen weiter ausbauen", 4),
    ]
