"""The plan chapter built from plain data: structure, numbered measures, merges, summary, appendix."""

import copy
import random
from collections import Counter

import docx
import pytest
from docx.oxml.ns import qn

from forum.services.docx_export import WHOLE_PROCESS, build_docx
from forum.services.docx_plan import MISSING, SWOT_HEADING, SWOT_INTRO, SWOT_NONE
from forum.services.report_model import (
    QUADRANT_LABELS,
    QUADRANT_SINGULAR,
    CardRow,
    MeasureRow,
    Proposal,
    SwotTheme,
    number_measures,
)
from tests.docx_reading import (
    blocks,
    body_between,
    field_values,
    headings,
    open_docx,
    section,
    table_after,
    table_rows,
)
from tests.report_samples import sample_report

APPENDIX = "Anhang: Dokumentation der Themenforen"
QUADRANT_KEYS = {
    "Stärken": "strength",
    "Schwächen": "weakness",
    "Chancen": "opportunity",
    "Risiken": "threat",
}


def card_text(card: CardRow) -> str:
    return f"{card.text} (×{card.merge_count})" if card.merge_count > 1 else card.text


@pytest.fixture(scope="module")
def single():
    report = sample_report(seed=3)
    return report, open_docx(build_docx(report))


@pytest.fixture(scope="module")
def whole():
    report = sample_report(forums=2, groups=3, cards=20, measures=5, seed=4, merges=6)
    later = sample_report(forums=3, groups=0, cards=0, measures=0).forums[2]
    report.forums.append(later)  # a forum still to come: one line in the appendix
    return report, open_docx(build_docx(report))


def proposal(title, group="Orange", votes=0, participants=10, **fields) -> Proposal:
    values = {"goal": "Ziel", "owner": "", "method": "", "horizon": None, "indicator": ""}
    values.update(fields)
    return Proposal(
        forum="1. Themenforum: A",
        group=group,
        group_key=group,
        participants=participants,
        title=title,
        votes=votes,
        order=(group, title),
        measure_key=title,
        **values,
    )


def test_chapter_structure_one_section_per_guiding_goal(whole):
    report, doc = whole
    assert headings(doc, 1) == [
        "Zusammenfassung",
        SWOT_HEADING,
        "Leitziel 1",
        "Leitziel 2",
        "Leitziel 3",
        "Maßnahmen ohne Leitziel",
        APPENDIX,
    ]
    for number, text in enumerate(report.guiding_goals, start=1):
        assert section(doc, f"Leitziel {number}")[0] == text
        styled = [(style, t) for style, t, _ in blocks(doc) if t == text]
        assert styled == [("Leitziel", text)]
    assert "bitte vor der vorlage zuordnen" in section(doc, "Maßnahmen ohne Leitziel")[0].lower()
    assert ("Subtitle", WHOLE_PROCESS) in [(s, t) for s, t, _ in blocks(doc)]


def test_each_measure_once_in_the_body_numbered_by_guiding_goal(whole):
    report, doc = whole
    body = body_between(doc, "Leitziel 1", APPENDIX)
    measure_headings = [t for style, t, _ in body if style == "Heading 2"]
    assert measure_headings == [f"{m.number} {m.title}" for m in report.measures]
    assert len(set(measure_headings)) == len(report.measures) > 20
    for measure in report.measures:
        goal = measure.guiding_goal or 0
        assert measure.number.startswith(f"M {goal}.")
        home = f"Leitziel {goal}" if goal else "Maßnahmen ohne Leitziel"
        assert f"{measure.number} {measure.title}" in section(doc, home)
    counts = Counter(m.number.rsplit(".", 1)[0] for m in report.measures)
    for prefix, count in counts.items():
        numbers = [
            int(m.number.rsplit(".", 1)[1])
            for m in report.measures
            if m.number.startswith(prefix + ".")
        ]
        assert sorted(numbers) == list(range(1, count + 1))


def test_numbers_follow_priority_and_are_stable():
    big = [
        proposal("gross", "Rot", votes=6, participants=12),
        proposal("klein", "Blau", votes=4, participants=6),
    ]
    tie = [
        proposal("b-später", "Grün", votes=2, participants=4),
        proposal("a-früher", "Gelb", votes=2, participants=4),
    ]
    measures = [MeasureRow(p.title, 1, [p]) for p in big + tie]
    measures[2].kept.order, measures[3].kept.order = (2,), (1,)
    numbered = number_measures(list(reversed(measures)))
    assert [(m.number, m.title) for m in numbered] == [
        ("M 1.1", "klein"),  # 4 dots of 6 people beat 6 dots of 12
        ("M 1.2", "gross"),
        ("M 1.3", "a-früher"),  # same priority and dots: earlier origin first
        ("M 1.4", "b-später"),
    ]
    report = sample_report(forums=2, groups=3, cards=5, measures=6, seed=9, merges=3)
    first = [(m.number, m.title) for m in report.measures]
    shuffled = copy.deepcopy(report.measures)
    random.Random(1).shuffle(shuffled)
    assert [(m.number, m.title) for m in number_measures(shuffled)] == first
    assert headings(open_docx(build_docx(report)), 2) == headings(open_docx(build_docx(report)), 2)


def test_measure_fields_years_cards_origins_and_priority():
    report = sample_report(groups=2, cards=4, measures=0)
    cards = report.forums[0].groups[0].cards
    weakness, chance = (
        CardRow("weakness", "Niemand weiß, wer zuständig ist"),
        CardRow("opportunity", "Newsletter"),
    )
    cards["weakness"].append(weakness)
    cards["opportunity"].append(chance)
    kept = proposal(
        "Ansprechpartner-Übersicht erstellen",
        "Orange",
        votes=6,
        participants=8,
        owner="Ehrenamtskoordination Asyl",
        method="Abfrage bei Trägern",
        horizon="short",
        indicator="Übersicht online bis 06/2025",
    )
    kept.cards = [weakness, chance]
    report.measures = number_measures([MeasureRow(kept.measure_key, 2, [kept])])
    report.forums[0].groups[0].proposals = [kept]
    doc = open_docx(build_docx(report))
    fields = field_values(doc, "M 2.1 Ansprechpartner-Übersicht erstellen")
    assert fields["Verantwortlich"] == "Ehrenamtskoordination Asyl"
    assert fields["Umsetzungshorizont"] == "kurzfristig (bis 2026)"
    assert fields["Indikator"] == "Übersicht online bis 06/2025"
    assert fields["Priorität"] == "0,75 Punkte je Person (6 Punkte von 8 Teilnehmenden)"
    assert fields["Antwort auf"].split("\n") == [
        f"{QUADRANT_SINGULAR['weakness']}: „Niemand weiß, wer zuständig ist“",
        "Chance: „Newsletter“",
    ]
    assert fields["Herkunft"] == "1. Themenforum, Gruppe Orange (8 Personen, 6 Punkte)"
    assert "Weitere Vorschläge" not in fields


def test_missing_owner_horizon_indicator_are_flagged_and_counted():
    report = sample_report(groups=1, cards=2, measures=0)
    done = proposal("Vollständig", owner="Jobcenter", horizon="long", indicator="50 Plätze")
    gap = proposal("Lückenhaft", method="Runder Tisch")
    report.measures = number_measures([MeasureRow(p.measure_key, 1, [p]) for p in (done, gap)])
    doc = open_docx(build_docx(report))
    fields = field_values(doc, next(h for h in headings(doc, 2) if "Lückenhaft" in h))
    for name in ("Verantwortlich", "Umsetzungshorizont", "Indikator"):
        assert fields[name] == MISSING
    assert fields["Methode"] == "Runder Tisch"
    flagged = [r for _, _, runs in blocks(doc, runs=True) for r in runs if r.text == MISSING]
    assert len(flagged) == 3 and {r.style.name for r in flagged} == {"Fehlt"}
    summary = " ".join(section(doc, "Zusammenfassung"))
    assert "1 von 2 Maßnahmen sind vollständig" in summary


def test_merged_measure_keeps_every_origin_and_differing_proposal():
    report = sample_report(forums=2, groups=3, cards=2, measures=0)
    kept = proposal(
        "Lotsendienst Wohnen",
        "Orange",
        votes=3,
        participants=6,
        owner="Sozialamt",
        indicator="20 Familien",
    )
    other = proposal(
        "Wohnungslotsen einsetzen",
        "Blau",
        votes=5,
        participants=12,
        owner="Jobcenter",
        indicator="30 Familien",
        method="Pilot",
    )
    other.forum, other.merged, other.measure_key = "2. Themenforum: B", True, kept.measure_key
    measure = MeasureRow(kept.measure_key, 3, [kept, other])
    report.measures = number_measures([measure])
    report.forums[0].groups[0].proposals = [kept]
    report.forums[1].groups[2].proposals = [other]
    doc = open_docx(build_docx(report))
    fields = field_values(doc, "M 3.1 Lotsendienst Wohnen")
    assert fields["Herkunft"].split("\n") == [
        "1. Themenforum, Gruppe Orange (6 Personen, 3 Punkte)",
        "2. Themenforum, Gruppe Blau (12 Personen, 5 Punkte)",
    ]
    assert fields["Priorität"] == "0,44 Punkte je Person (8 Punkte von 18 Teilnehmenden)"
    assert fields["Weitere Vorschläge"] == (
        "Gruppe Blau (2. Themenforum): „Wohnungslotsen einsetzen“; Verantwortlich: Jobcenter; "
        "Methode: Pilot; Indikator: 30 Familien"
    )
    blau = table_rows(table_after(doc, "Maßnahmenvorschläge der Gruppe Blau, 2. Themenforum"))
    assert blau[1] == [
        "zusammengeführt in M 3.1",
        "Wohnungslotsen einsetzen",
        "Jobcenter",
        "–",
        "30 Familien",
        "5",
    ]
    orange = table_rows(table_after(doc, "Maßnahmenvorschläge der Gruppe Orange, 1. Themenforum"))
    assert orange[1] == ["M 3.1", "Lotsendienst Wohnen", "Sozialamt", "–", "20 Familien", "3"]


def test_summary_table_of_all_measures_in_number_order(whole):
    report, doc = whole
    rows = table_rows(table_after(doc, "Alle Maßnahmen nach Leitziel und Priorität"))
    assert rows[0] == ["Nr.", "Kurztitel", "Leitziel", "Verantwortlich", "Horizont", "Priorität"]
    assert [row[0] for row in rows[1:]] == [m.number for m in report.measures]
    for row, measure in zip(rows[1:], report.measures, strict=True):
        assert row[2] == (f"Leitziel {measure.guiding_goal}" if measure.guiding_goal else "ohne")
        assert row[3] == (measure.owner or "fehlt")
        assert row[5].endswith(f"({measure.votes}/{measure.participants})")
        assert measure.title.startswith(row[1].removesuffix(" …"))


def test_participation_table_and_chart_with_alt_text(whole):
    report, doc = whole
    forums = [f for f in report.forums if sum(f.participation.values())]
    rows = table_rows(table_after(doc, "Teilnehmende nach Organisationsart und Themenforum"))
    assert rows[0] == ["Organisationsart", *[f.short for f in forums], "Gesamt"]
    total = sum(sum(f.participation.values()) for f in forums)
    assert rows[-1][-1] == str(total)
    pictures = doc.inline_shapes
    assert len(pictures) == 1
    doc_pr = pictures[0]._inline.docPr
    assert doc_pr.get("title") == "Teilnehmende nach Organisationsart und Themenforum"
    assert f"insgesamt {total}" in doc_pr.get("descr")
    blob = doc.part.related_parts[
        pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    assert blob.startswith(b"\x89PNG")


def test_appendix_holds_each_forum_record_and_one_line_for_empty_forums(whole):
    report, doc = whole
    appendix = section(doc, APPENDIX)
    empty = report.forums[2]
    assert any(line.startswith(empty.heading) for line in appendix)
    assert headings(doc, 2)[-2:] == [f.heading for f in report.forums[:2]]
    for forum in report.forums[:2]:
        for group in forum.groups:
            rows = table_rows(
                table_after(doc, f"Maßnahmenvorschläge der Gruppe {group.name}, {forum.short}")
            )
            assert sorted(r[1] for r in rows[1:]) == sorted(p.title for p in group.proposals)
            own = {p.title: p.votes for p in group.proposals}
            assert all(r[5] == str(own[r[1]]) for r in rows[1:])


def test_matrix_labels_head_every_page_of_each_half(single):
    report, doc = single
    group = report.forums[0].groups[0]
    for half in ("Stärken und Schwächen", "Chancen und Risiken"):
        table = table_after(doc, f"4-Feldermatrix der Gruppe {group.name}, 1. Themenforum: {half}")
        labels = half.split(" und ")
        assert [c.paragraphs[0].text for c in table.rows[0].cells] == labels
        assert table._tbl.tr_lst[0].trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        quadrants = [QUADRANT_KEYS[label] for label in labels]
        for index, quadrant in enumerate(quadrants):
            column = [row.cells[index].text for row in table.rows[1:]]
            expected = [card_text(c) for c in group.cards[quadrant]]
            assert [text for text in column if text] == (expected or ["–"])


def swot_tables(doc) -> dict[str, object]:
    """The consolidated SWOT's tables by quadrant label, found by their numbered captions."""
    found = {}
    for label in QUADRANT_LABELS.values():
        captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
        if any(c.endswith(f": {SWOT_HEADING}: {label}") for c in captions):
            found[label] = table_after(doc, f"{SWOT_HEADING}: {label}")
    return found


def test_swot_section_between_summary_and_guiding_goals_with_a_table_per_quadrant():
    report = sample_report(groups=3, cards=12, measures=4, seed=3, swot=True)
    doc = open_docx(build_docx(report))
    assert headings(doc, 1)[:3] == ["Zusammenfassung", SWOT_HEADING, "Leitziel 1"]
    assert headings(doc, 3)[:4] == list(QUADRANT_LABELS.values())
    text = section(doc, SWOT_HEADING)
    assert text[0] == SWOT_INTRO and "eigenen Server der Stadt" in SWOT_INTRO
    tables = swot_tables(doc)
    assert list(tables) == ["Stärken", "Schwächen", "Chancen"]
    for label, table in tables.items():
        quadrant = QUADRANT_KEYS[label]
        themes = [t for t in report.swot if t.quadrant == quadrant]
        rows = table_rows(table)
        assert rows[0] == [f"Thema ({label})", "Gruppen", "Foren", "Beispiele"]
        assert rows[1:] == [
            [t.title, str(t.groups), str(t.forums), "\n".join(f"„{e}“" for e in t.examples)]
            for t in themes
        ]
        tblPr = table._tbl.tblPr
        assert tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == f"{SWOT_HEADING}: {label}"
        assert label in tblPr.find(qn("w:tblDescription")).get(qn("w:val"))
        header = table._tbl.tr_lst[0]
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # Risiken: no theme marked, one line instead of an empty table.
    assert section(doc, "Risiken") == ["Risiken: Für den Fachplan ist kein Thema ausgewählt."]


def test_swot_quotes_one_or_two_cards_per_theme():
    report = sample_report(groups=2, cards=8, measures=1, seed=5)
    report.swot = [
        SwotTheme("weakness", "Unklare Zuständigkeiten", 5, 3, 2, ["Wer ist zuständig?", "Ämter"]),
        SwotTheme("weakness", "Lange Wartelisten", 2, 1, 1, ["Warteliste beim Sprachkurs"]),
    ]
    report.swot_selected = True
    doc = open_docx(build_docx(report))
    rows = table_rows(swot_tables(doc)["Schwächen"])
    assert rows[1] == ["Unklare Zuständigkeiten", "3", "2", "„Wer ist zuständig?“\n„Ämter“"]
    assert rows[2] == ["Lange Wartelisten", "1", "1", "„Warteliste beim Sprachkurs“"]
    for label in ("Stärken", "Chancen", "Risiken"):
        assert section(doc, label) == [f"{label}: Für den Fachplan ist kein Thema ausgewählt."]


def test_swot_without_marked_themes_is_one_paragraph_and_no_table():
    report = sample_report(groups=2, cards=8, measures=2, seed=6)
    assert report.swot == [] and not report.swot_selected
    doc = open_docx(build_docx(report))
    assert section(doc, SWOT_HEADING) == [SWOT_NONE]
    assert "noch keine Themen" in SWOT_NONE
    assert swot_tables(doc) == {}
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert not any(SWOT_HEADING in caption for caption in captions)


def test_one_forum_document_says_whose_cards_count():
    report = sample_report(groups=2, cards=8, measures=2, seed=7, swot=True)
    doc = open_docx(build_docx(report, whole_process=False))
    text = section(doc, SWOT_HEADING)
    assert text[0] == SWOT_INTRO
    assert text[1].startswith("Gezählt sind hier nur die Karten aus „1. Themenforum“")
    report.swot = []  # themes are marked, but none holds a card of this forum
    doc = open_docx(build_docx(report, whole_process=False))
    (only,) = section(doc, SWOT_HEADING)
    assert only.startswith("Keines der in der Auswertung für den Fachplan ausgewählten Themen")
