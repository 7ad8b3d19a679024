"""Build the plan chapter of one forum or of the whole process as a Word document.

Plain Python: reads only the dataclasses of `report_model`, needs no Flask and no database. The
document uses only named styles of the template (exports/referenz.docx by default, made by
exports/make_reference.py), so a city can swap in its corporate design without code changes.

Order: title page, contents, summary (participation with a chart, the measures at a glance), the
consolidated SWOT (the themes marked for the plan, a table per quadrant), one section per
Leitziel with its measures, measures without a Leitziel, and the record of each forum as an
appendix (agenda, groups, SWOT matrices, each group's own proposals).
"""

from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from forum.services.docx_appendix import appendix
from forum.services.docx_fields import add_contents, add_page_footer
from forum.services.docx_measures import guiding_goal_sections
from forum.services.docx_parts import Writer, clean
from forum.services.docx_plan import summary, swot_section
from forum.services.report_model import ProcessReport

REFERENCE = Path(__file__).resolve().parents[2] / "exports" / "referenz.docx"
WHOLE_PROCESS = "Ergebnisse des Beteiligungsprozesses für die Fachplanfortschreibung"
TOC_LEVELS = 2
MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"


def build_docx(
    report: ProcessReport, *, template: Path | None = None, whole_process: bool | None = None
) -> bytes:
    """Build the plan chapter as a Word document; returns the .docx bytes."""
    whole = len(report.forums) > 1 if whole_process is None else whole_process
    if not whole and len(report.forums) > 1:
        raise ValueError("Ein Dokument für ein Themenforum braucht genau ein Themenforum.")
    subtitle = report.forums[0].heading if report.forums and not whole else WHOLE_PROCESS
    doc = Document(str(template or REFERENCE))
    _set_properties(doc, report, subtitle)
    writer = Writer(doc)
    add_page_footer(writer, clean(subtitle) or clean(report.title))
    _title_page(writer, report, subtitle, whole)
    contents = writer.paragraph("Inhalt", "toc_heading", page_break=True)
    summary(writer, report)
    swot_section(writer, report, whole=whole)
    guiding_goal_sections(writer, report)
    appendix(writer, report)
    add_contents(writer, after=contents, levels=TOC_LEVELS)
    return writer.to_bytes()


def german_date(day: date) -> str:
    """Format a date the German way: '23. Januar 2025'."""
    return f"{day.day}. {MONTHS.split()[day.month - 1]} {day.year}"


def joined(*parts: str, separator=" · ") -> str:
    """Join the non-empty cleaned parts."""
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
    """Add title, subtitle, the forums with date and venue (when known), organiser, date of issue."""
    writer.paragraph(report.title, "title")
    writer.paragraph(subtitle, "subtitle")
    if whole:
        for forum in report.forums:
            writer.paragraph(joined(forum.heading, joined(forum.date, forum.venue, separator=", ")))
    elif report.forums and (when_where := joined(report.forums[0].date, report.forums[0].venue)):
        writer.paragraph(when_where)
    writer.paragraph(report.organiser)
    writer.paragraph(f"Stand: {german_date(date.today())}")
