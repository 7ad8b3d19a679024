"""The body of the plan chapter: the summary, the consolidated SWOT, then one section per
Leitziel with its measures."""

from docx.shared import Cm

from forum.services.chart import participation_chart
from forum.services.docx_parts import Writer, clean
from forum.services.report_model import (
    HORIZON_LABELS,
    QUADRANT_LABELS,
    MeasureRow,
    ProcessReport,
    SwotTheme,
)

MISSING = "fehlt – bitte ergänzen"
NUMBERING_NOTE = (
    "Jede Maßnahme steht einmal in diesem Dokument, nummeriert nach Leitziel: M 2.3 ist die "
    "dritte Maßnahme zu Leitziel 2, M 0.1 die erste noch ohne Leitziel. Innerhalb eines "
    "Leitziels folgen die Maßnahmen ihrer Priorität. Die Priorität sind die Punkte, die eine "
    "Maßnahme im Themenforum erhielt, geteilt durch die Zahl der Teilnehmenden der Gruppen, aus "
    "denen sie stammt; so zählen Gruppen mit 6 und mit 12 Personen gleich. Ähnliche Vorschläge "
    "mehrerer Gruppen sind zusammengeführt; jede Herkunft und jeder abweichende Vorschlag bleibt "
    "genannt."
)
SHORT_TITLE = 90
SWOT_HEADING = "Konsolidierte SWOT-Analyse"
SWOT_INTRO = (
    "Die Karten aller Kleingruppen und Themenforen sind je Feld der 4-Feldermatrix zu Themen "
    "zusammengefasst: Die Software hat ähnliche Karten auf dem eigenen Server der Stadt zu "
    "Themen vorgeschlagen – die Texte der Teilnehmenden gehen an keinen externen Dienst –, die "
    "Sozialplanung hat die Vorschläge geprüft, benannt, zusammengeführt und die Themen für den "
    "Fachplan ausgewählt. „Gruppen“ und „Foren“ geben an, in wie vielen Kleingruppen und "
    "Themenforen das Thema genannt wurde; die Beispiele sind Karten im Wortlaut."
)
SWOT_NONE = (
    "Die Auswertung hat noch keine Themen für den Fachplan ausgewählt. Sobald die Sozialplanung "
    "in der Auswertung Themen für den Fachplan markiert, stehen sie hier je Feld der "
    "4-Feldermatrix, mit der Zahl der Gruppen und Foren, die sie genannt haben."
)


def summary(writer: Writer, report: ProcessReport) -> None:
    """Add the summary: figures, participation table and chart, and all measures at a glance."""
    writer.heading("Zusammenfassung", 1, page_break=True)
    forums = [forum for forum in report.forums if forum.has_results]
    people = sum(sum(forum.participation.values()) for forum in report.forums)
    groups = sum(len(forum.groups) for forum in forums)
    cards = sum(group.card_count for forum in forums for group in forum.groups)
    proposals = sum(len(group.proposals) for forum in forums for group in forum.groups)
    complete = sum(not measure.missing for measure in report.measures)
    writer.paragraph(
        f"{counted(len(forums), 'Themenforum', 'Themenforen')} mit Ergebnissen, "
        f"{counted(people, 'Teilnehmende Person', 'Teilnehmende')} in "
        f"{counted(groups, 'Kleingruppe', 'Kleingruppen')}: "
        f"{counted(cards, 'Karte', 'Karten')} in der 4-Feldermatrix und "
        f"{counted(proposals, 'Maßnahmenvorschlag', 'Maßnahmenvorschläge')}, zusammengeführt zu "
        f"{counted(len(report.measures), 'Maßnahme', 'Maßnahmen')}. "
        f"{complete} von {len(report.measures)} Maßnahmen sind vollständig (Verantwortlich, "
        f"Umsetzungshorizont und Indikator benannt); bei den übrigen ist markiert, was fehlt."
        + _decisions_sentence(report.measures)
    )
    _participation(writer, report)
    writer.heading("Maßnahmen im Überblick", 2)
    writer.paragraph(NUMBERING_NOTE)
    _overview_table(writer, report)


def _decisions_sentence(measures: list[MeasureRow]) -> str:
    """Say what the Auswertung decided and what the event gave, once there is anything to say."""
    text = ""
    if any(m.decision != "open" for m in measures):
        adopted = sum(m.decision == "adopt" for m in measures)
        deferred = sum(m.decision == "defer" for m in measures)
        text += (
            f" In der Auswertung übernommen: {adopted}, zurückgestellt: {deferred}, "
            f"noch offen: {len(measures) - adopted - deferred}."
        )
    if dots := sum(m.event_votes for m in measures):
        text += (
            f" An der Auswertungsveranstaltung wurden {counted(dots, 'Punkt', 'Punkte')} auf die "
            "übernommenen Maßnahmen gesetzt."
        )
    return text


def counted(number: int, one: str, many: str) -> str:
    """Say a number with its noun in singular or plural: '1 Karte', '3 Karten'."""
    return f"{number} {one if number == 1 else many}"


def _participation(writer: Writer, report: ProcessReport) -> None:
    """Add participants by organisation type and forum as a table and a chart; counts only."""
    writer.heading("Beteiligung", 2)
    forums = [forum for forum in report.forums if sum(forum.participation.values())]
    if not forums:
        writer.paragraph("Es sind keine Teilnehmenden erfasst.")
        return
    kinds = list(dict.fromkeys(kind for forum in forums for kind in forum.participation))
    rows = {kind: [forum.participation.get(kind, 0) for forum in forums] for kind in kinds}
    totals = [sum(forum.participation.values()) for forum in forums]
    several = len(forums) > 1
    header = ["Organisationsart", *[forum.short for forum in forums]] + (
        ["Gesamt"] if several else []
    )
    body = [[kind, *values] + ([sum(values)] if several else []) for kind, values in rows.items()]
    body.append(["Gesamt", *totals] + ([sum(totals)] if several else []))
    title = "Teilnehmende nach Organisationsart und Themenforum"
    writer.caption("Tabelle", title)
    widths = [3.2] + [1.4] * (len(header) - 1)
    table = writer.table(header, body, widths, right=set(range(1, len(header))), total=True)
    writer.describe(table, title, "Anzahl der Teilnehmenden; es werden keine Namen erfasst.")
    words = "; ".join(f"{kind}: {sum(values)}" for kind, values in rows.items())
    description = (
        f"Balkendiagramm. Teilnehmende nach Organisationsart, insgesamt {sum(totals)}: {words}."
    )
    if several:
        description += " Die Balken sind nach Themenforen unterteilt: " + "; ".join(
            f"{forum.short}: {total}" for forum, total in zip(forums, totals, strict=True)
        )
    png = participation_chart(rows, [forum.short for forum in forums])
    writer.picture(png, Cm(15), title, description)
    writer.caption("Abbildung", title)


def _overview_table(writer: Writer, report: ProcessReport) -> None:
    """Add one row per measure, in number order: Nr., title, Leitziel, owner, horizon, priority."""
    if not report.measures:
        writer.paragraph("Es sind keine Maßnahmen erfasst.")
        return
    title = "Alle Maßnahmen nach Leitziel und Priorität"
    writer.caption("Tabelle", title)
    rows = [
        [
            measure.number,
            short_title(measure.title),
            f"Leitziel {measure.guiding_goal}" if measure.guiding_goal else "ohne",
            measure.owner or "fehlt",
            HORIZON_LABELS.get(measure.horizon or "", "fehlt"),
            priority_cell(measure),
        ]
        for measure in report.measures
    ]
    header = ["Nr.", "Kurztitel", "Leitziel", "Verantwortlich", "Horizont", "Priorität"]
    table = writer.table(header, rows, [1.3, 5.6, 1.7, 3.3, 2.2, 1.9], right={5})
    writer.describe(
        table,
        title,
        "Eine Zeile je Maßnahme: Nummer, Kurztitel, Leitziel, Verantwortlich, Umsetzungshorizont "
        "und Priorität (Punkte je Teilnehmende, in Klammern Punkte/Teilnehmende).",
    )


def short_title(text: str) -> str:
    """Shorten a measure's title to about 90 characters at a word boundary."""
    text = " ".join(clean(text).split())
    if len(text) <= SHORT_TITLE:
        return text
    return text[:SHORT_TITLE].rsplit(" ", 1)[0].rstrip(",;:–- ") + " …"


def decimal(value: float) -> str:
    """Format a number with two decimals and a German decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def priority_cell(measure: MeasureRow) -> str:
    """Priority as the table shows it: '0,58 (7/12)'."""
    if measure.priority is None:
        return f"– ({measure.votes}/0)"
    return f"{decimal(measure.priority)} ({measure.votes}/{measure.participants})"


def swot_section(writer: Writer, report: ProcessReport, *, whole: bool = True) -> None:
    """Add the consolidated SWOT: per quadrant a table of the themes marked for the plan."""
    # A section of tables starts a page; the one-paragraph state follows the summary.
    writer.heading(SWOT_HEADING, 1, page_break=bool(report.swot))
    if not report.swot:
        if report.swot_selected and not whole:
            writer.paragraph(
                "Keines der in der Auswertung für den Fachplan ausgewählten Themen enthält Karten "
                "dieses Themenforums; die ausgewählten Themen stehen im Gesamtdokument."
            )
        else:
            writer.paragraph(SWOT_NONE)
        return
    writer.paragraph(SWOT_INTRO)
    if not whole and report.forums:
        writer.paragraph(
            f"Gezählt sind hier nur die Karten aus „{clean(report.forums[0].short)}“; "
            "ausgewählte Themen ohne solche Karten stehen nur im Gesamtdokument."
        )
    for quadrant, label in QUADRANT_LABELS.items():
        themes = [theme for theme in report.swot if theme.quadrant == quadrant]
        writer.heading(label, 3)
        if not themes:
            writer.paragraph(f"{label}: Für den Fachplan ist kein Thema ausgewählt.")
            continue
        _swot_table(writer, label, themes)


def _swot_table(writer: Writer, label: str, themes: list[SwotTheme]) -> None:
    """Add one quadrant's themes: title, groups, forums and one or two quoted cards."""
    title = f"Konsolidierte SWOT-Analyse: {label}"
    writer.caption("Tabelle", title)
    rows = [
        [
            theme.title,
            theme.groups,
            theme.forums,
            "\n".join(f"„{clean(text)}“" for text in theme.examples),
        ]
        for theme in themes
    ]
    # The quadrant stays in the header row, which repeats on every page the table runs onto.
    header = [f"Thema ({label})", "Gruppen", "Foren", "Beispiele"]
    table = writer.table(header, rows, [5.0, 1.7, 1.4, 7.9], right={1, 2})
    writer.describe(
        table,
        title,
        f"Eine Zeile je Thema der {label}, das die Sozialplanung für den Fachplan ausgewählt "
        "hat: Thema, Zahl der Kleingruppen und der Themenforen, die es genannt haben, und ein "
        "oder zwei Karten im Wortlaut.",
    )
