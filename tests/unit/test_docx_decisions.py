"""The plan chapter after the Auswertung: decisions, deferred measures, the event's priority."""

from forum.services.docx_export import build_docx
from forum.services.docx_measures import UNDECIDED
from forum.services.report_model import MeasureRow, Proposal, number_measures
from tests.docx_reading import field_values, headings, open_docx, section
from tests.report_samples import sample_report


def proposal(title, group="Orange", votes=2) -> Proposal:
    return Proposal(
        forum="1. Themenforum: A",
        group=group,
        group_key=group,
        participants=8,
        goal="Ziel",
        title=title,
        owner="Sozialamt",
        method="",
        horizon="short",
        indicator="10 Treffen",
        votes=votes,
        order=(group, title),
        measure_key=title,
    )


def report_with(rows):
    report = sample_report(groups=1, cards=2, measures=0)
    report.measures = number_measures(rows)
    return report


def row(title, goal=1, decision="open", reason="", event=0, votes=2) -> MeasureRow:
    measure = MeasureRow(title, goal, [proposal(title, votes=votes)], decision=decision)
    measure.decision_reason, measure.event_votes = reason, event
    return measure


def heading_of(doc, title):
    return next(h for h in headings(doc, 2) if h.endswith(title))


def test_before_the_auswertung_no_decision_line_and_no_event_line():
    doc = open_docx(build_docx(report_with([row("Lotsen"), row("Sprachcafé")])))
    fields = field_values(doc, heading_of(doc, "Lotsen"))
    assert "Entscheidung" not in fields and "Auswertungsveranstaltung" not in fields
    assert "Zurückgestellte Maßnahmen" not in headings(doc, 1)


def test_decisions_shown_deferred_apart_with_reason_open_flagged():
    rows = [
        row("Lotsen", decision="adopt"),
        row("Sprachcafé", decision="defer", reason="Haushalt 2027 abwarten"),
        row("Newsletter"),
    ]
    doc = open_docx(build_docx(report_with(rows)))
    assert headings(doc, 1)[-2:] == [
        "Zurückgestellte Maßnahmen",
        "Anhang: Dokumentation des Themenforums",
    ]
    deferred = section(doc, "Zurückgestellte Maßnahmen")
    assert any(text.endswith("Sprachcafé") for text in deferred)
    assert not any(text.endswith("Sprachcafé") for text in section(doc, "Leitziel 1"))
    assert field_values(doc, heading_of(doc, "Sprachcafé"))["Entscheidung"] == (
        "zurückgestellt: Haushalt 2027 abwarten"
    )
    assert field_values(doc, heading_of(doc, "Lotsen"))["Entscheidung"] == "übernommen"
    assert field_values(doc, heading_of(doc, "Newsletter"))["Entscheidung"] == UNDECIDED
    summary = " ".join(section(doc, "Zusammenfassung"))
    assert "übernommen: 1, zurückgestellt: 1, noch offen: 1" in summary


def test_the_events_dots_and_rank_stand_beside_the_forum_priority():
    rows = [
        row("Lotsen", decision="adopt", event=3, votes=8),
        row("Sprachcafé", decision="adopt", event=9, votes=1),
        row("Tandem", decision="adopt", event=3),
        row("Newsletter", goal=2, decision="adopt", event=0),
    ]
    doc = open_docx(build_docx(report_with(rows)))
    event = {
        title: field_values(doc, heading_of(doc, title))["Auswertungsveranstaltung"]
        for title in ("Lotsen", "Sprachcafé", "Tandem", "Newsletter")
    }
    assert event["Sprachcafé"] == "9 Punkte, Rang 1 der übernommenen Maßnahmen zu Leitziel 1"
    assert (
        event["Lotsen"]
        == event["Tandem"].replace("Tandem", "")
        == ("3 Punkte, Rang 2 der übernommenen Maßnahmen zu Leitziel 1")
    )
    assert event["Newsletter"] == "0 Punkte, Rang 1 der übernommenen Maßnahmen zu Leitziel 2"
    lotsen = field_values(doc, heading_of(doc, "Lotsen"))["Priorität"]
    assert lotsen.startswith("1,00 Punkte je Person (8 Punkte")  # the forums' dots, not the event's
    assert "15 Punkte auf die übernommenen Maßnahmen" in " ".join(section(doc, "Zusammenfassung"))
