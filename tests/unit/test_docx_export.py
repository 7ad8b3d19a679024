"""Tests for the DOCX builder in forum.services.docx_export: plain data in, Word document out."""

import dataclasses
import re
import shutil
import zipfile
from collections import Counter
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor

from forum.services import report_model
from forum.services.docx_export import REFERENCE, TOC_PLACEHOLDER, build_docx, ordered
from forum.services.report_model import CardRow, MeasureRow
from tests.report_samples import sample_report

# Characters XML cannot hold (removed) and form feeds / vertical tabs (become line breaks).
BAD = "\x00\x01\x08\x0e\x1f\ufffe\uffff\ud800\udfff"
BREAKS = "\x0b\x0c"


def open_docx(data: bytes):
    return docx.Document(BytesIO(data))


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def blocks(doc):
    """Yield (style name, text, table) for body paragraphs and every cell paragraph, in order."""
    for block in doc.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        yield None, paragraph.text, block
        else:
            yield block.style.name, block.text, None


def headings(doc, level: int) -> list[str]:
    return [text for style, text, _ in blocks(doc) if style == f"Heading {level}"]


def section(doc, heading: str, after: str | None = None) -> list[str]:
    """Return the texts from `heading` (the first one after `after`) up to the next heading of
    the same or a higher level."""
    texts, level, searching = [], None, after is None
    for style, text, _ in blocks(doc):
        is_heading = style is not None and style.startswith("Heading ")
        if level is not None and is_heading and int(style[-1]) <= level:
            break
        if level is not None:
            texts.append(text)
        if is_heading and text == heading and searching:
            level = int(style[-1])
        searching = searching or text == after
    assert level is not None, f"heading {heading!r} missing"
    return texts


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_after(doc, heading: str):
    """Return the first table after the heading."""
    seen = False
    for block in doc.iter_inner_content():
        if isinstance(block, docx.table.Table) and seen:
            return block
        seen = seen or (not isinstance(block, docx.table.Table) and block.text == heading)
    raise AssertionError(f"no table after {heading!r}")


def card_text(card: CardRow) -> str:
    return f"{card.text} (×{card.merge_count})" if card.merge_count > 1 else card.text


def measure(text, goal=None, horizon=None, votes=0, group="Orange", forum="1. Themenforum: A"):
    return MeasureRow("Ziel", text, "", "", horizon, "", votes, goal, forum, group)


@pytest.fixture(scope="module")
def single():
    report = sample_report(seed=3)
    return report, build_docx(report)


@pytest.fixture(scope="module")
def whole():
    report = sample_report(forums=2, groups=3, cards=20, measures=5, seed=4)
    return report, build_docx(report)


def test_single_forum_structure(single):
    report, data = single
    doc = open_docx(data)
    assert headings(doc, 1) == [
        "Leitziele",
        "Tagesordnung",
        "Gruppen, Räume und Ansprechpartner",
        "Beteiligung",
        "Ergebnisse der Kleingruppen",
        "Alle Maßnahmen des Forums",
    ]
    assert headings(doc, 2) == ["Gruppe Orange", "Gruppe Rot", "Gruppe Blau", "Gruppe Grün"]
    styled = [(style, text) for style, text, _ in blocks(doc)]
    assert ("Title", report.title) in styled
    assert ("Subtitle", report.forums[0].heading) in styled
    assert section(doc, "Leitziele") == report.guiding_goals


def test_whole_process_structure(whole):
    report, data = whole
    doc = open_docx(data)
    forum_headings = [forum.heading for forum in report.forums]
    assert headings(doc, 1) == ["Leitziele", *forum_headings, "Maßnahmen aller Themenforen"]
    assert headings(doc, 2).count("Tagesordnung") == 2
    assert headings(doc, 2).count("Alle Maßnahmen des Forums") == 2
    assert headings(doc, 3) == ["Gruppe Orange", "Gruppe Rot", "Gruppe Blau"] * 2
    assert ("Subtitle", "Beteiligungsprozess – Gesamtdokumentation") in [
        (style, text) for style, text, _ in blocks(doc)
    ]


def test_whole_process_can_be_forced_and_refused():
    one = sample_report(groups=1, cards=4, measures=2)
    assert "Maßnahmen aller Themenforen" in headings(
        open_docx(build_docx(one, whole_process=True)), 1
    )
    with pytest.raises(ValueError):
        build_docx(sample_report(forums=2, groups=1, cards=2, measures=1), whole_process=False)


def test_title_page_skips_empty_date_and_venue():
    report = sample_report(groups=1, cards=2, measures=1)
    first = [text for _, text, _ in blocks(open_docx(build_docx(report)))][:5]
    assert first[:3] == [report.title, report.forums[0].heading, report.organiser]
    report.forums[0].date, report.forums[0].venue = "23. Januar 2025", "Sozialamt Dresden"
    first = [text for _, text, _ in blocks(open_docx(build_docx(report)))][:5]
    assert first[2] == "23. Januar 2025 · Sozialamt Dresden"
    report.forums[0].date = ""
    first = [text for _, text, _ in blocks(open_docx(build_docx(report)))][:5]
    assert first[2] == "Sozialamt Dresden"


def test_toc_field_and_update_fields(single):
    parts = xml_parts(single[1])
    assert 'TOC \\o "1-3" \\h \\z \\u' in parts["word/document.xml"]
    assert TOC_PLACEHOLDER in parts["word/document.xml"]
    settings = parts["word/settings.xml"]
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:updateFields") < settings.index("<w:compat")  # schema order


def test_every_card_once_in_its_group_matrix(single):
    report, data = single
    doc = open_docx(data)
    everything = Counter(text for _, text, _ in blocks(doc))
    for group in report.forums[0].groups:
        texts = Counter(section(doc, f"Gruppe {group.name}"))
        matrix = table_after(doc, f"4-Feldermatrix – Gruppe {group.name}")
        cells = {
            quadrant: [p.text for p in matrix.rows[r].cells[c].paragraphs]
            for quadrant, (r, c) in {
                "strength": (0, 0),
                "weakness": (0, 1),
                "opportunity": (1, 0),
                "threat": (1, 1),
            }.items()
        }
        for quadrant, cards in group.cards.items():
            assert cells[quadrant][2:] == [card_text(card) for card in cards]
            for card in cards:
                assert texts[card_text(card)] == 1
                assert everything[card_text(card)] == 1
    merged = [
        c
        for g in report.forums[0].groups
        for cs in g.cards.values()
        for c in cs
        if c.merge_count > 1
    ]
    assert merged, "the sample should contain merged cards"
    assert all(everything[card.text] == 0 for card in merged)


def test_matrix_heads_and_questions(single):
    report, data = single
    doc = open_docx(data)
    matrix = table_after(doc, "4-Feldermatrix – Gruppe Orange")
    assert [[cell.paragraphs[0].text for cell in row.cells] for row in matrix.rows] == [
        ["Stärken", "Schwächen"],
        ["Chancen", "Risiken"],
    ]
    question = matrix.rows[0].cells[0].paragraphs[1]
    assert question.text == report.forums[0].questions["strength"]
    assert question.runs[0].style.name == "Emphasis"


def test_measures_in_group_and_consolidated_tables(single, whole):
    for (report, data), times in ((single, 2), (whole, 3)):
        doc = open_docx(data)
        everything = Counter(text for _, text, _ in blocks(doc))
        for forum in report.forums:
            for group in forum.groups:
                texts = Counter(section(doc, f"Gruppe {group.name}", after=forum.heading))
                for row in group.measures:
                    assert texts[row.measure] == 1
                    assert everything[row.measure] == times


def test_group_measure_table_columns_and_gaps():
    report = sample_report(groups=1, cards=2, measures=0)
    report.forums[0].groups[0].measures = [
        MeasureRow(
            "Ziel A",
            "Maßnahme A",
            "Sozialamt – Sozialplanung",
            "Runder Tisch",
            "medium",
            "4 Treffen pro Jahr",
            7,
            1,
            "F",
            "Orange",
        ),
        MeasureRow("Ziel B", "Maßnahme B", "", "", None, "", 0, None, "F", "Orange"),
    ]
    table = table_after(open_docx(build_docx(report)), "Ziele und Maßnahmen – Gruppe Orange")
    assert table_rows(table) == [
        ["Ziel", "Maßnahme", "Verantwortlich", "Methode", "Horizont", "Indikator", "Stimmen"],
        [
            "Ziel A",
            "Maßnahme A",
            "Sozialamt – Sozialplanung",
            "Runder Tisch",
            "mittelfristig",
            "4 Treffen pro Jahr",
            "7",
        ],
        ["Ziel B", "Maßnahme B", "–", "–", "–", "–", "0"],
    ]


def test_consolidated_tables_are_ordered():
    report = sample_report(forums=2, groups=2, cards=2, measures=0)
    rows = [
        measure("none-long", None, "long", 9),
        measure("2-short", 2, "short", 1, group="Rot"),
        measure("1-none", 1, None, 20),
        measure("1-long", 1, "long", 3),
        measure("1-short-low", 1, "short", 1),
        measure("1-short-high", 1, "short", 5, group="Rot"),
        measure("3-medium", 3, "medium", 0),
        measure("none-none", None, None, 30),
    ]
    first, second = report.forums
    first.groups[0].measures, first.groups[1].measures = rows[:3], rows[3:6]
    second.groups[0].measures = [measure("2-medium", 2, "medium", 4, "Orange", second.heading)]
    second.groups[1].measures = rows[6:]
    expected = ["1-short-high", "1-short-low", "1-long", "1-none", "2-short", "none-long"]
    assert [m.measure for m in ordered(first.measures)] == expected
    doc = open_docx(build_docx(report))
    forum_table = table_rows(table_after(doc, "Maßnahmen aller Themenforen"))
    assert forum_table[0][:4] == ["Leitziel", "Forum", "Gruppe", "Ziel"]
    assert [row[4] for row in forum_table[1:]] == [
        "1-short-high",
        "1-short-low",
        "1-long",
        "1-none",
        "2-short",
        "2-medium",
        "3-medium",
        "none-long",
        "none-none",
    ]
    assert forum_table[1][:3] == ["1", "1. Themenforum", "Rot"]
    assert forum_table[-1][0] == "–"
    single = sample_report(groups=2, cards=2, measures=0)
    single.forums[0].groups[0].measures, single.forums[0].groups[1].measures = rows[:4], rows[4:]
    table = table_rows(table_after(open_docx(build_docx(single)), "Alle Maßnahmen des Forums"))
    assert table[0][:3] == ["Leitziel", "Gruppe", "Ziel"]
    assert [row[3] for row in table[1:]] == [
        "1-short-high",
        "1-short-low",
        "1-long",
        "1-none",
        "2-short",
        "3-medium",
        "none-long",
        "none-none",
    ]


def test_tables_repeat_their_header_row(single):
    doc = open_docx(single[1])
    for table in doc.tables:
        first = table._tbl.tr_lst[0]
        is_matrix = table.rows[0].cells[0].paragraphs[0].text == "Stärken"
        assert (first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None) != is_matrix
        assert table.style.name == "Themenforum Tabelle"


def test_short_rows_stay_on_one_page_long_rows_may_break():
    report = sample_report(groups=1, cards=2, measures=2)
    report.forums[0].groups[0].measures[1].method = "Sehr ausführliche Methode. " * 120
    table = table_after(open_docx(build_docx(report)), "Ziele und Maßnahmen – Gruppe Orange")
    header, short, long = (tr.trPr for tr in table._tbl.tr_lst)
    assert short.find(qn("w:cantSplit")) is not None and short.find(qn("w:tblHeader")) is None
    assert long.find(qn("w:cantSplit")) is None  # Word would cut off a taller unbreakable row
    assert header.find(qn("w:tblHeader")) is not None


def test_groups_and_participation_tables(single):
    report, data = single
    doc = open_docx(data)
    forum = report.forums[0]
    assert table_rows(table_after(doc, "Gruppen, Räume und Ansprechpartner")) == [
        ["Gruppe", "Raum", "Ansprechpartner"],
        *[[g.name, g.room, g.moderator] for g in forum.groups],
    ]
    assert table_rows(table_after(doc, "Beteiligung")) == [
        ["Organisationsart", "Teilnehmende"],
        *[[kind, str(count)] for kind, count in forum.participation.items()],
        ["Gesamt", str(sum(forum.participation.values()))],
    ]


def test_no_personal_data_and_organiser_as_author(single):
    report, data = single
    names = {
        f.name
        for cls in vars(report_model).values()
        if dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
    }
    assert not names & {"author", "participant", "participants", "email", "first_name", "last_name"}
    assert all(isinstance(count, int) for count in report.forums[0].participation.values())
    text = "\n".join(xml_parts(data).values())
    assert "Zzyzx Mustermann" not in text
    assert "Diese Karte wurde ausgeblendet" not in text  # hidden cards never reach the builder
    props = open_docx(data).core_properties
    assert props.author == props.last_modified_by == report.organiser


def test_core_properties_and_language(single):
    report, data = single
    parts = xml_parts(data)
    core = parts["docProps/core.xml"]
    assert f"<dc:creator>{report.organiser}</dc:creator>" in core
    assert "<dc:language>de-DE</dc:language>" in core
    assert report.title in core
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="de-DE"', parts["word/styles.xml"], re.S)
    for name, xml in parts.items():
        assert "python-docx" not in xml, name
        assert "en-US" not in xml, name


def test_default_template_leftovers_are_replaced(tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)  # en-US, author "python-docx", none of our custom styles
    report = sample_report(groups=1, cards=3, measures=2)
    report.organiser = ""
    data = build_docx(report, template=plain)
    parts = xml_parts(data)
    assert "<dc:creator>Themenforum</dc:creator>" in parts["docProps/core.xml"]
    assert "python-docx" not in parts["docProps/core.xml"]
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="de-DE"', parts["word/styles.xml"], re.S)
    doc = open_docx(data)
    header = table_after(doc, "Ziele und Maßnahmen – Gruppe Orange").rows[0].cells[0].paragraphs[0]
    assert header.runs[0].bold  # without "Tabellenkopf" the header is bolded directly
    assert {t.style.name for t in doc.tables} == {"Table Grid"}


def test_control_characters_and_lone_surrogates_are_removed():
    report = sample_report(groups=1, cards=1, measures=1)
    forum, group = report.forums[0], report.forums[0].groups[0]
    report.title = f"Fach{BAD}plan"
    report.organiser = f"Sozial{BAD}amt"
    report.guiding_goals = [f"Leit{BAD}ziel"]
    forum.heading, forum.date, forum.venue = f"Forum{BAD}", f"Juni{BAD}", f"Ort{BAD}"
    forum.agenda[0].title = f"Begrüßung{BAD}"
    forum.questions["strength"] = f"Frage{BAD}"
    forum.participation = {f"Ehren{BAD}amt": 3}
    group.name, group.room, group.moderator = f"Orange{BAD}", f"E05{BAD}", f"Hr.{BAD} Beitz"
    group.cards = {q: [CardRow(q, f"Karte {BAD}{q}", 2)] for q in group.cards}
    group.cards["threat"] += [
        CardRow("threat", BAD),
        CardRow("threat", f"Zeile{BREAKS[0]}eins{BREAKS[1]}zwei"),
    ]
    row = group.measures[0]
    for attr in ("goal", "measure", "owner", "method", "indicator", "forum", "group"):
        setattr(row, attr, f"{attr}{BAD}!")
    data = build_docx(report)
    text = "\n".join(xml_parts(data).values())
    assert not re.search("[\x00-\x08\x0e-\x1f\ufffe\uffff]", text)
    doc = open_docx(data)
    texts = [t for _, t, _ in blocks(doc)]
    assert {"Fachplan", "Karte strength (×2)", "measure!", "Sozialamt", "Juni · Ort"} <= set(texts)
    assert "Zeile\neins\nzwei" in texts
    assert headings(doc, 2) == ["Gruppe Orange"]
    assert ["Ehrenamt", "3"] in table_rows(table_after(doc, "Beteiligung"))


def test_right_to_left_text_gets_bidi_and_rtl():
    report = sample_report(groups=1, cards=1, measures=1)
    arabic, hebrew = "دورات اللغة للأمهات مع أطفال صغار", "123 קורס שפה לנשים"
    report.forums[0].groups[0].cards["strength"] = [CardRow("strength", arabic)]
    report.forums[0].groups[0].measures[0].measure = hebrew
    doc = open_docx(build_docx(report))
    found = {p.text: p for table in doc.tables for cell in table._cells for p in cell.paragraphs}
    for text in (arabic, hebrew):
        paragraph = found[text]
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None
        assert paragraph.runs[0].font.rtl
    german = found["Stärken"]
    assert german._p.pPr.find(qn("w:bidi")) is None and not german.runs[0].font.rtl


def test_line_breaks_in_text_become_breaks():
    report = sample_report(groups=1, cards=1, measures=1)
    report.forums[0].groups[0].cards["weakness"] = [CardRow("weakness", "Zeile eins\r\nZeile zwei")]
    doc = open_docx(build_docx(report))
    matrix = table_after(doc, "4-Feldermatrix – Gruppe Orange")
    assert matrix.rows[0].cells[1].paragraphs[2].text == "Zeile eins\nZeile zwei"
    assert matrix.rows[0].cells[1].paragraphs[2]._p.xpath(".//w:br")


def test_numbered_lists_restart_at_one(single):
    doc = open_docx(single[1])
    num_ids = {p._p.pPr.numPr.numId.val for p in doc.paragraphs if p.style.name == "List Number"}
    assert len(num_ids) == 2  # Leitziele and Tagesordnung each count from 1
    numbering = doc.part.numbering_part.element
    for num_id in num_ids:
        assert numbering.num_having_numId(num_id).xpath("w:lvlOverride/w:startOverride/@w:val") == [
            "1"
        ]


def test_agenda_lists_phases_with_minutes(single):
    texts = section(open_docx(single[1]), "Tagesordnung")
    assert "Arbeitsphase in Kleingruppen" in texts
    assert "4-Feldermatrix: Stärken-Schwächen / Chancen-Risiken (30 Min.)" in texts
    assert "Die Arbeitsgruppen stellen ihre Ergebnisse im Plenum vor (10 Min. je Gruppe)" in texts


def test_wide_tables_are_in_landscape_sections(single):
    sections = open_docx(single[1]).sections
    assert (round(sections[0].page_width.mm), round(sections[0].page_height.mm)) == (210, 297)
    assert sections[-1].page_width > sections[-1].page_height


def test_no_direct_fonts_and_swapped_template_changes_the_look(single, tmp_path):
    document_xml = xml_parts(single[1])["word/document.xml"]
    assert not re.search("<w:(rFonts|sz|color) ", document_xml)  # the look comes from styles
    template = tmp_path / "stadt.docx"
    shutil.copy(REFERENCE, template)
    city = docx.Document(template)
    city.styles["Heading 1"].font.name = "Courier New"
    city.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    city.save(template)
    data = build_docx(single[0], template=template)
    heading = docx.Document(BytesIO(data)).styles["Heading 1"]
    assert heading.font.name == "Courier New" and heading.font.color.rgb == RGBColor(0xC0, 0, 0)
    assert headings(open_docx(data), 1) == headings(open_docx(single[1]), 1)


def test_empty_inputs_still_make_a_document():
    report = sample_report(groups=0, cards=0, measures=0)
    forum = report.forums[0]
    forum.agenda, forum.participation, forum.questions = [], {}, {}
    texts = [text for _, text, _ in blocks(open_docx(build_docx(report)))]
    assert "Es sind keine Kleingruppen erfasst." in texts
    assert "Es sind keine Maßnahmen erfasst." in texts
    report.forums, report.guiding_goals = [], []
    doc = open_docx(build_docx(report))
    assert headings(doc, 1) == ["Leitziele"]


def test_reference_document_defines_the_styles():
    reference = docx.Document(REFERENCE)
    names = {style.name for style in reference.styles}
    assert {
        "Tabellentext",
        "Tabellenkopf",
        "Tabellenliste",
        "Themenforum Tabelle",
        "Caption",
    } <= names
    assert reference.core_properties.author == "Themenforum"
    assert round(reference.sections[0].page_width.mm) == 210
    assert not reference.paragraphs and not reference.tables
