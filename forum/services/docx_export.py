"""Build the consolidated Word document of one forum or of the whole process, for the plan update.

Plain Python: reads only the dataclasses of `report_model`, needs no Flask and no database. The
document uses only named styles of the template (exports/referenz.docx by default, made by
exports/make_reference.py), so a city can swap in its corporate design without code changes.
"""

from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from forum.services.docx_parts import EMPTY, Writer, clean
from forum.services.report_model import (
    AgendaRow,
    CardRow,
    ForumReport,
    GroupReport,
    MeasureRow,
    ProcessReport,
)

REFERENCE = Path(__file__).resolve().parents[2] / "exports" / "referenz.docx"
WHOLE_PROCESS = "Beteiligungsprozess – Gesamtdokumentation"
TOC_PLACEHOLDER = "Inhaltsverzeichnis – wird beim Öffnen aktualisiert"
QUADRANTS = {
    "strength": "Stärken",
    "weakness": "Schwächen",
    "opportunity": "Chancen",
    "threat": "Risiken",
}
MATRIX = [("strength", "weakness"), ("opportunity", "threat")]
HORIZONS = {"short": "kurzfristig", "medium": "mittelfristig", "long": "langfristig"}
HORIZON_ORDER = {"short": 0, "medium": 1, "long": 2}
MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
ORDER_NOTE = (
    "Sortiert nach Leitziel (1, 2, 3, dann ohne Zuordnung), Umsetzungshorizont "
    "(kurz-, mittel-, langfristig, dann offen) und Stimmen."
)

# (header, relative width, value) — widths fit landscape A4 with 9-pt table text.
MEASURE_COLUMNS = [
    ("Ziel", 2.8, lambda m: m.goal),
    ("Maßnahme", 3.8, lambda m: m.measure),
    ("Verantwortlich", 2.9, lambda m: m.owner),
    ("Methode", 3.0, lambda m: m.method),
    ("Horizont", 2.0, lambda m: HORIZONS.get(m.horizon or "", m.horizon)),
    ("Indikator", 3.0, lambda m: m.indicator),
    ("Stimmen", 1.7, lambda m: m.votes),
]
GUIDING_GOAL = ("Leitziel", 1.6, lambda m: m.guiding_goal)
GROUP = ("Gruppe", 1.5, lambda m: m.group)
FORUM = ("Forum", 2.5, lambda m: m.forum.split(":", 1)[0])


def build_docx(
    report: ProcessReport, *, template: Path | None = None, whole_process: bool | None = None
) -> bytes:
    """Build the consolidated Word document; returns the .docx bytes."""
    whole = len(report.forums) > 1 if whole_process is None else whole_process
    if not whole and len(report.forums) > 1:
        raise ValueError("Ein Dokument für ein Themenforum braucht genau ein Themenforum.")
    subtitle = report.forums[0].heading if report.forums and not whole else WHOLE_PROCESS
    doc = Document(str(template or REFERENCE))
    _set_properties(doc, report, subtitle)
    writer = Writer(doc)
    writer.footer(clean(subtitle) or clean(report.title))
    _title_page(writer, report, subtitle, whole)
    writer.paragraph("Inhalt", "toc_heading", page_break=True)
    writer.toc(TOC_PLACEHOLDER)
    _guiding_goals(writer, report.guiding_goals)
    for forum in report.forums:
        _forum(writer, forum, whole)
    if whole:
        writer.start_section(landscape=True)
        writer.heading("Maßnahmen aller Themenforen", 1)
        writer.paragraph(f"Alle Maßnahmen für die Auswertungsveranstaltung. {ORDER_NOTE}")
        measures = [measure for forum in report.forums for measure in forum.measures]
        _measure_table(writer, ordered(measures), [GUIDING_GOAL, FORUM, GROUP])
    return writer.to_bytes()


def ordered(measures: list[MeasureRow]) -> list[MeasureRow]:
    """Order measures by Leitziel (none last), horizon (short to long, none last), votes descending."""
    return sorted(
        measures,
        key=lambda m: (
            m.guiding_goal is None,
            m.guiding_goal or 0,
            HORIZON_ORDER.get(m.horizon or "", len(HORIZON_ORDER)),
            -(m.votes or 0),
        ),
    )


def german_date(day: date) -> str:
    """Format a date the German way: '23. Januar 2025'."""
    return f"{day.day}. {MONTHS.split()[day.month - 1]} {day.year}"


def _joined(*parts: str, separator=" · ") -> str:
    return separator.join(text for text in map(clean, parts) if text)


def _set_properties(doc, report: ProcessReport, subtitle: str) -> None:
    """Set author, title and German language, replacing what the template brought along."""
    props = doc.core_properties
    props.author = props.last_modified_by = clean(report.organiser) or "Themenforum"
    props.title, props.subject = clean(f"{report.title} – {subtitle}"), clean(subtitle)
    props.comments = props.keywords = props.category = ""
    props.language = "de-DE"
    props.created = props.modified = datetime.now(UTC)
    props.revision = 1
    # Word's spelling check and hyphenation follow the default language in styles.xml.
    defaults = _child(doc.styles.element, "w:docDefaults", first=True)
    rpr = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    _child(rpr, "w:lang").set(qn("w:val"), "de-DE")


def _child(parent, tag: str, *, first=False):
    """Return the child element `tag` of `parent`, adding it (first or last) when missing."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        if first:
            parent.insert(0, element)
        else:
            parent.append(element)
    return element


def _title_page(writer: Writer, report: ProcessReport, subtitle: str, whole: bool) -> None:
    """Add title, subtitle, date and venue (only when known), organiser and date of issue."""
    writer.paragraph(report.title, "title")
    writer.paragraph(subtitle, "subtitle")
    if whole:
        for forum in report.forums:
            writer.paragraph(
                _joined(forum.heading, _joined(forum.date, forum.venue, separator=", "))
            )
    elif report.forums and (when_where := _joined(report.forums[0].date, report.forums[0].venue)):
        writer.paragraph(when_where)
    writer.paragraph(report.organiser)
    writer.paragraph(f"Stand: {german_date(date.today())}")


def _guiding_goals(writer: Writer, goals: list[str]) -> None:
    writer.heading("Leitziele", 1, page_break=True)
    if goals:
        writer.numbered(goals)
    else:
        writer.paragraph("Es sind keine Leitziele hinterlegt.")


def _forum(writer: Writer, forum: ForumReport, whole: bool) -> None:
    """Add a forum's sections; in the whole-process document under the forum's own heading."""
    level = 2 if whole else 1
    if whole:
        writer.start_section(landscape=False)
        writer.heading(forum.heading, 1)
        if when_where := _joined(forum.date, forum.venue):
            writer.paragraph(when_where)
    _agenda(writer, forum.agenda, level)
    _group_overview(writer, forum.groups, level)
    _participation(writer, forum.participation, level)
    writer.start_section(landscape=True)
    writer.heading("Ergebnisse der Kleingruppen", level)
    if not forum.groups:
        writer.paragraph("Es sind keine Kleingruppen erfasst.")
    for index, group in enumerate(forum.groups):
        _group(writer, forum, group, level + 1, page_break=index > 0)
    writer.heading("Alle Maßnahmen des Forums", level, page_break=True)
    writer.paragraph(ORDER_NOTE)
    _measure_table(writer, ordered(forum.measures), [GUIDING_GOAL, GROUP])


def _agenda(writer: Writer, agenda: list[AgendaRow], level: int) -> None:
    """Add the numbered agenda; phases are bullets that do not interrupt the item numbering."""
    writer.heading("Tagesordnung", level)
    if not agenda:
        writer.paragraph(EMPTY)
        return
    number_list = writer.new_list()
    for item in agenda:
        writer.list_item(_agenda_text(item), number_list)
        for phase in item.phases:
            writer.paragraph(_agenda_text(phase), "bullet2")


def _agenda_text(row: AgendaRow) -> str:
    minutes = f"{row.minutes} Min." if row.minutes else ""
    timing = _joined(minutes, "je Gruppe" if row.per_group else "", separator=" ")
    return f"{clean(row.title)} ({timing})" if timing else clean(row.title)


def _group_overview(writer: Writer, groups: list[GroupReport], level: int) -> None:
    writer.heading("Gruppen, Räume und Ansprechpartner", level)
    rows = [[group.name, group.room, group.moderator] for group in groups]
    writer.table(["Gruppe", "Raum", "Ansprechpartner"], rows, [1, 1, 1.4])


def _participation(writer: Writer, participation: dict[str, int], level: int) -> None:
    """Add participant counts by organisation type, with a total; names never appear."""
    writer.heading("Beteiligung", level)
    if not participation:
        writer.paragraph("Es sind keine Teilnehmenden erfasst.")
        return
    writer.paragraph("Teilnehmende nach Organisationsart (nur Anzahlen, keine Namen).")
    rows = [[kind, count] for kind, count in participation.items()]
    rows.append(["Gesamt", sum(participation.values())])
    writer.table(["Organisationsart", "Teilnehmende"], rows, [3, 1.4], right={1}, total=True)


def _group(writer: Writer, forum: ForumReport, group: GroupReport, level: int, page_break: bool):
    """Add one group's section: heading, room and moderator, SWOT matrix, measures."""
    name = clean(group.name)
    title = name if name.lower().startswith("gruppe") else f"Gruppe {name}"
    writer.heading(title, level, page_break=page_break)
    room = f"Raum {clean(group.room)}" if clean(group.room) else ""
    moderator = f"Ansprechpartner: {clean(group.moderator)}" if clean(group.moderator) else ""
    if details := _joined(room, moderator):
        writer.paragraph(details)
    writer.paragraph(f"4-Feldermatrix – {title}", "caption")
    _matrix(writer, forum.questions, group.cards)
    writer.paragraph(f"Ziele und Maßnahmen – {title}", "caption")
    _measure_table(writer, group.measures, [])


def _matrix(writer: Writer, questions: dict[str, str], cards: dict[str, list[CardRow]]) -> None:
    """Add the 2×2 SWOT table: quadrant name, guiding question in italics, one line per card."""
    _, row_cells = writer.grid(2, [1, 1], header=False)
    for cells, quadrants in zip(row_cells, MATRIX, strict=True):
        for cell, quadrant in zip(cells, quadrants, strict=True):
            head = cell.paragraphs[0]
            writer.style(head, "cell_head")
            writer.write(head, QUADRANTS[quadrant], bold=writer.bold_head)
            if question := clean(questions.get(quadrant)):
                writer.write(writer.paragraph(role="cell", parent=cell), question, emphasis=True)
            texts = [_card_text(card) for card in cards.get(quadrant, [])]
            for text in [text for text in texts if text] or [EMPTY]:
                writer.paragraph(text, "cell_list" if text != EMPTY else "cell", parent=cell)


def _card_text(card: CardRow) -> str:
    text = clean(card.text)
    return f"{text} (×{card.merge_count})" if text and card.merge_count > 1 else text


def _measure_table(writer: Writer, measures: list[MeasureRow], leading: list) -> None:
    """Add a measures table: the `leading` columns, then Ziel … Stimmen."""
    if not measures:
        writer.paragraph("Es sind keine Maßnahmen erfasst.")
        return
    columns = leading + MEASURE_COLUMNS
    rows = [[value(measure) for _, _, value in columns] for measure in measures]
    writer.table(
        [header for header, _, _ in columns],
        rows,
        [width for _, width, _ in columns],
        right={len(columns) - 1},
    )
