"""The plan chapter as a file: contents, captions, alt text, styles in schema order, safe text."""

import dataclasses
import re
import shutil
import zipfile
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree

from forum.services import report_model
from forum.services.docx_export import REFERENCE, build_docx
from forum.services.report_model import CardRow
from tests.docx_reading import blocks, headings, open_docx, section, table_after, table_rows
from tests.report_samples import sample_report

# Characters XML cannot hold (removed) and form feeds / vertical tabs (become line breaks).
BAD = "\x00\x01\x08\x0e\x1f\ufffe\uffff\ud800\udfff"
BREAKS = "\x0b\x0c"
# ECMA-376 CT_RPr, written out here as the standard gives it (not taken from the generator).
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


@pytest.fixture(scope="module")
def single():
    report = sample_report(groups=3, cards=12, measures=4, seed=3, merges=2, swot=True)
    return report, build_docx(report)


def test_contents_field_is_prefilled_with_the_headings(single):
    report, data = single
    doc = open_docx(data)
    parts = xml_parts(data)
    assert 'TOC \\o "1-2" \\h \\z \\u' in parts["word/document.xml"]
    entries = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    expected = headings(doc, 1) + headings(doc, 2)
    assert sorted(entries) == sorted(expected) and entries[0] == "Zusammenfassung"
    assert f"{report.measures[0].number} {report.measures[0].title}" in entries
    settings = parts["word/settings.xml"]
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:updateFields") < settings.index("<w:compat")  # schema order


def test_every_table_has_a_numbered_caption_and_alt_text(single):
    doc = open_docx(single[1])
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    tables = [c for c in captions if c.startswith("Tabelle ")]
    assert [int(re.match(r"Tabelle (\d+):", c).group(1)) for c in tables] == list(
        range(1, len(doc.tables) + 1)
    )
    assert [c for c in captions if c.startswith("Abbildung ")] == [
        "Abbildung 1: Teilnehmende nach Organisationsart und Themenforum"
    ]
    for table, caption in zip(doc.tables, tables, strict=True):
        tblPr = table._tbl.tblPr
        assert tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption.split(": ", 1)[1]
        assert len(tblPr.find(qn("w:tblDescription")).get(qn("w:val"))) > 20
        assert etree.QName(tblPr[-1]).localname == "tblDescription"  # last child: schema order
    assert "SEQ Tabelle \\* ARABIC" in xml_parts(single[1])["word/document.xml"]


@pytest.mark.parametrize("part", ["generated", "reference"])
def test_run_properties_in_schema_order(single, part):
    data = single[1] if part == "generated" else REFERENCE.read_bytes()
    root = etree.fromstring(xml_parts(data)["word/styles.xml"].encode())
    checked = 0
    for rpr in root.iter(qn("w:rPr")):
        names = [etree.QName(child).localname for child in rpr]
        assert names == sorted(names, key=RPR_ORDER.index), names
        checked += 1
    assert checked > 20


def test_tables_repeat_their_header_row_and_all_pages_are_portrait(single):
    doc = open_docx(single[1])
    for table in doc.tables:
        first = table._tbl.tr_lst[0]
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert table.style.name == "Themenforum Tabelle"
    assert all(s.page_width < s.page_height for s in doc.sections)


def test_short_rows_stay_on_one_page_long_rows_may_break():
    report = sample_report(groups=1, cards=2, measures=2)
    group = report.forums[0].groups[0]
    group.proposals[1].indicator = "Sehr ausführlicher Indikator. " * 120
    table = table_after(
        open_docx(build_docx(report)), "Maßnahmenvorschläge der Gruppe Orange, 1. Themenforum"
    )
    cant_split = [tr.trPr.find(qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst[1:]]
    texts = [row[4] for row in table_rows(table)[1:]]
    for text, kept in zip(texts, cant_split, strict=True):
        assert kept == (len(text) < 500)  # Word would cut off a taller unbreakable row


def test_no_personal_data_and_organiser_as_author(single):
    report, data = single
    names = {
        f.name
        for cls in vars(report_model).values()
        if dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
    }
    assert not names & {"author", "participant", "email", "first_name", "last_name", "name_of"}
    assert all(isinstance(count, int) for count in report.forums[0].participation.values())
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
    report.forums[0].groups[0].proposals[0].owner = ""
    report.measures[0].kept.owner = ""
    data = build_docx(report, template=plain)
    parts = xml_parts(data)
    assert "<dc:creator>Themenforum</dc:creator>" in parts["docProps/core.xml"]
    doc = open_docx(data)
    header = table_after(doc, "Maßnahmenvorschläge der Gruppe Orange, 1. Themenforum")
    assert header.rows[0].cells[0].paragraphs[0].runs[0].bold  # bolded directly instead
    assert {t.style.name for t in doc.tables} == {"Table Grid"}
    flagged = [
        r
        for _, _, runs in blocks(doc, runs=True)
        for r in runs
        if r.text == "fehlt – bitte ergänzen"
    ]
    assert flagged and all(r.bold for r in flagged)


def test_control_characters_and_lone_surrogates_are_removed():
    report = sample_report(groups=1, cards=1, measures=1)
    forum, group = report.forums[0], report.forums[0].groups[0]
    report.title = f"Fach{BAD}plan"
    report.organiser = f"Sozial{BAD}amt"
    report.guiding_goals = [f"Leit{BAD}ziel"]
    report.horizon_years = {"short": f"bis{BAD} 2026"}
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
    row = group.proposals[0]
    for attr in ("goal", "title", "owner", "method", "indicator", "forum", "group"):
        setattr(row, attr, f"{attr}{BAD}!")
    row.horizon = "short"
    row.cards = [CardRow("weakness", f"Ant{BAD}wort")]
    data = build_docx(report)
    text = "\n".join(xml_parts(data).values())
    assert not re.search("[\x00-\x08\x0e-\x1f\ufffe\uffff]", text)
    doc = open_docx(data)
    texts = [t for _, t, _ in blocks(doc)]
    assert {"Fachplan", "Karte strength (×2)", "title!", "Sozialamt", "Juni · Ort"} <= set(texts)
    assert "Zeile\neins\nzwei" in texts
    assert "Umsetzungshorizont\tkurzfristig (bis 2026)" in texts
    assert "Antwort auf\tSchwäche: „Antwort“" in texts
    assert ["Ehrenamt", "3"] in table_rows(
        table_after(doc, "Teilnehmende nach Organisationsart und Themenforum")
    )


def test_right_to_left_text_gets_bidi_and_rtl():
    report = sample_report(groups=1, cards=1, measures=1)
    arabic, hebrew = "دورات اللغة للأمهات مع أطفال صغار", "123 קורס שפה לנשים"
    report.forums[0].groups[0].cards["strength"] = [CardRow("strength", arabic)]
    report.forums[0].groups[0].proposals[0].title = hebrew
    doc = open_docx(build_docx(report))
    found = {p.text: p for table in doc.tables for cell in table._cells for p in cell.paragraphs}
    for text in (arabic, hebrew):
        paragraph = found[text]
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None
        assert paragraph.runs[0].font.rtl
    german = found["Stärken"]
    assert german._p.pPr.find(qn("w:bidi")) is None and not german.runs[0].font.rtl


def test_agenda_is_numbered_from_one_with_phases_and_minutes(single):
    doc = open_docx(single[1])
    texts = section(doc, "Tagesordnung")
    assert "4-Feldermatrix: Stärken-Schwächen / Chancen-Risiken (30 Min.)" in texts
    assert "Die Arbeitsgruppen stellen ihre Ergebnisse im Plenum vor (10 Min. je Gruppe)" in texts
    num_ids = {p._p.pPr.numPr.numId.val for p in doc.paragraphs if p.style.name == "List Number"}
    numbering = doc.part.numbering_part.element
    assert num_ids and all(
        numbering.num_having_numId(n).xpath("w:lvlOverride/w:startOverride/@w:val") == ["1"]
        for n in num_ids
    )


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
    report.forums[0].agenda, report.forums[0].participation = [], {}
    doc = open_docx(build_docx(report))
    texts = [text for _, text, _ in blocks(doc)]
    assert "Es sind keine Maßnahmen erfasst." in texts
    assert "Zu diesem Leitziel sind noch keine Maßnahmen erfasst." in texts
    report.forums, report.guiding_goals = [], []
    assert headings(open_docx(build_docx(report)), 1) == [
        "Zusammenfassung",
        "Konsolidierte SWOT-Analyse",  # one paragraph: no themes selected yet
        "Anhang: Dokumentation der Themenforen",
    ]


def test_reference_document_defines_the_styles():
    reference = docx.Document(REFERENCE)
    names = {style.name for style in reference.styles}
    assert {
        "Tabellentext",
        "Tabellenkopf",
        "Tabellenliste",
        "Themenforum Tabelle",
        "Caption",
        "Maßnahmenangabe",
        "Feldname",
        "Fehlt",
        "Leitziel",
        "toc 1",
        "toc 2",
    } <= names
    assert reference.core_properties.author == "Themenforum"
    assert round(reference.sections[0].page_width.mm) == 210
    assert not reference.paragraphs and not reference.tables
