"""CSV tables of the visible cards, measures and SWOT themes, for spreadsheet work after a forum.

Only what groups wrote, never who wrote it: no participant names, organisations or moderators.
"""

import csv
import io
from datetime import datetime

from sqlalchemy import select

from forum.extensions import db
from forum.models import QUADRANTS, Card, Forum, Group, Process
from forum.services.auswertung.workspace import workspace
from forum.services.report import plan_measures
from forum.services.report_model import HORIZON_LABELS, QUADRANT_LABELS, MeasureRow, Proposal
from forum.services.text import clean_text

# German labels (from the report model) whatever language the person downloading reads: the
# file is for the German planning office.
CARD_HEADER = ["Forum", "Gruppe", "Feld", "Text", "Anzahl", "Erstellt"]
MEASURE_HEADER = [
    "Nr.",
    "Forum",
    "Gruppe",
    "Zusammengeführt in",
    "Leitziel",
    "Ziel",
    "Maßnahme",
    "Verantwortlich",
    "Methode",
    "Horizont",
    "Indikator",
    "Punkte",
    "Teilnehmende der Gruppe",
    "Karten",
    "Entscheidung",
    "Grund",
    "Punkte der Auswertungsveranstaltung",
]
# The Auswertung's decision, said as the plan chapter says it.
DECISION_LABELS = {"open": "offen", "adopt": "übernommen", "defer": "zurückgestellt"}
THEME_HEADER = ["Feld", "Thema", "Für den Fachplan", "Karten", "Gruppen", "Foren", "Karte"]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). OWASP
# recommends a leading apostrophe: the cell stays text; the apostrophe shows, a small price.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cards_csv(forums: list[Forum]) -> bytes:
    """Return the visible SWOT cards of the forums as a CSV file for German Excel."""
    groups = _groups(forums)
    cards = db.session.execute(
        select(Card).where(
            Card.group_id.in_(groups), Card.hidden.is_(False), Card.merged_into_id.is_(None)
        )
    ).scalars()
    ordered = sorted(cards, key=lambda card: (groups[card.group_id][0], *_card_order(card)))
    return _csv(CARD_HEADER, [_card_row(groups[card.group_id][1], card) for card in ordered])


def measures_csv(forums: list[Forum]) -> bytes:
    """Return every group's measure proposals as a CSV file for German Excel.

    One row per proposal, merged ones included with their own dots and texts; "Nr." is the
    number of the plan measure it counts for, as in the DOCX of the same forums.
    """
    if not forums:
        return _csv(MEASURE_HEADER, [])
    measures = plan_measures(forums[0].process, forums)
    rows = [_measure_row(m, p) for m in measures for p in sorted(m.origins, key=lambda p: p.order)]
    return _csv(MEASURE_HEADER, rows)


def themes_csv(process: Process) -> bytes:
    """Return the themes of the process's Auswertung as a CSV file for German Excel.

    One row per visible card of a theme, with the theme's figures repeated, so a planner can
    filter by field, theme or mark; quadrants in matrix order, themes as the workspace orders
    them (most cards first), cards in the order they were written. Cards on their own are left
    out.
    """
    rows = []
    for view in workspace(process):
        label = QUADRANT_LABELS.get(view.quadrant, view.quadrant)
        for theme in view.themes:
            figures = [
                label,
                theme.theme.title,
                "ja" if theme.theme.for_plan else "nein",
                len(theme.cards),
                theme.groups,
                theme.forums,
            ]
            rows.extend([*figures, card.text] for card in theme.cards)
    return _csv(THEME_HEADER, rows)


def _groups(forums: list[Forum]) -> dict[int, tuple[int, Group]]:
    """Map group ids to their place in the file and the group: forums as given, groups in order."""
    ordered = [
        g for forum in forums for g in sorted(forum.groups, key=lambda g: (g.position, g.name))
    ]
    return {group.id: (place, group) for place, group in enumerate(ordered)}


def _card_order(card: Card) -> tuple:
    quadrant = QUADRANTS.index(card.quadrant) if card.quadrant in QUADRANTS else len(QUADRANTS)
    return (quadrant, card.created_at, card.id)


def _forum_name(forum: Forum) -> str:
    # Named as the slides and the DOCX name it: "1. Themenforum: Gemeinwesenarbeit und Ehrenamt".
    return f"{forum.number}. Themenforum: {forum.title}" if forum.number else forum.title


def _card_row(group: Group, card: Card) -> list:
    return [
        _forum_name(group.forum),
        group.name,
        QUADRANT_LABELS.get(card.quadrant, card.quadrant),
        card.text,
        card.merge_count,
        _timestamp(card.created_at),
    ]


def _measure_row(measure: MeasureRow, proposal: Proposal) -> list:
    return [
        measure.number,
        proposal.forum,
        proposal.group,
        measure.number if proposal.merged else "",
        measure.guiding_goal,
        proposal.goal,
        proposal.title,
        proposal.owner,
        proposal.method,
        HORIZON_LABELS.get(proposal.horizon, proposal.horizon),
        proposal.indicator,
        proposal.votes,
        proposal.participants,
        " | ".join(_clean(card.text) for card in proposal.cards),
        # The decision and the event's dots belong to the plan measure: on its kept row only.
        "" if proposal.merged else DECISION_LABELS.get(measure.decision, measure.decision),
        "" if proposal.merged else measure.decision_reason,
        "" if proposal.merged else measure.event_votes,
    ]


def _timestamp(moment: datetime | None) -> str:
    # ISO 8601 with a space instead of "T": Excel reads it as a date and time, and it is UTC,
    # as the database stores it.
    return moment.isoformat(sep=" ", timespec="seconds") if moment else ""


def _clean(text: str | None) -> str:
    # Control characters a spreadsheet cannot show are dropped, line breaks unified to LF.
    return clean_text(text)[0]


def _cell(value) -> str | int:
    """Return a number as it is and text cleaned and safe from being run as a formula."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = _clean(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: list[list]) -> bytes:
    # German Excel opens a double-clicked CSV in the Windows code page, split at the list
    # separator of the locale, which is ";" there because "," is the decimal comma. The UTF-8
    # byte order mark makes it read UTF-8 (umlauts, Cyrillic, Arabic); CRLF ends each record,
    # as RFC 4180 and Excel expect; cells with ";", quotes or line breaks get quoted. A "sep=;"
    # first line would pin the separator too, but makes Excel ignore the byte order mark.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
