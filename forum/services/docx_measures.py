"""The measures of the plan chapter: one section per Leitziel, then those without one, then the
deferred ones with their reasons; each measure once, with its decision and the event's dots."""

from forum.services.docx_parts import Writer, clean
from forum.services.docx_plan import MISSING, counted, decimal
from forum.services.report_model import (
    HORIZON_LABELS,
    QUADRANT_SINGULAR,
    MeasureRow,
    ProcessReport,
    Proposal,
)

UNDECIDED = "offen – bitte entscheiden"


def guiding_goal_sections(writer: Writer, report: ProcessReport) -> None:
    """Add one section per Leitziel with its text and measures, then those without one, then
    the deferred ones with their reasons."""
    context = _Context(report)
    by_goal: dict[int, list[MeasureRow]] = {}
    for measure in report.measures:
        if measure.decision != "defer":
            by_goal.setdefault(measure.guiding_goal or 0, []).append(measure)
    for number, text in enumerate(report.guiding_goals, start=1):
        writer.heading(f"Leitziel {number}", 1, page_break=number == 1)
        writer.paragraph(text, "guiding_goal")
        measures = by_goal.pop(number, [])
        if not measures:
            writer.paragraph("Zu diesem Leitziel sind noch keine Maßnahmen erfasst.")
        for measure in measures:
            measure_block(writer, measure, context)
    unassigned = [m for goal, ms in sorted(by_goal.items()) for m in ms]
    if unassigned:
        writer.heading("Maßnahmen ohne Leitziel", 1, page_break=not report.guiding_goals)
        writer.paragraph(
            "Hinweis für die Sozialplanung: Diese Maßnahmen sind noch keinem Leitziel "
            "zugeordnet. Bitte vor der Vorlage zuordnen.",
            "guiding_goal",
        )
        for measure in unassigned:
            measure_block(writer, measure, context)
    deferred = [m for m in report.measures if m.decision == "defer"]
    if deferred:
        writer.heading("Zurückgestellte Maßnahmen", 1)
        writer.paragraph(
            "Diese Vorschläge hat die Sozialplanung in der Auswertung zurückgestellt, jeweils "
            "mit Grund; sie bleiben dokumentiert.",
            "guiding_goal",
        )
        for measure in deferred:
            measure_block(writer, measure, context)


class _Context:
    """What every measure block needs to know about the whole chapter."""

    def __init__(self, report: ProcessReport):
        self.years = report.horizon_years
        self.decided = any(m.decision != "open" for m in report.measures)
        self.event = any(m.event_votes for m in report.measures)
        self.ranks = _event_ranks(report.measures) if self.event else {}


def _event_ranks(measures: list[MeasureRow]) -> dict:
    """Rank the adopted measures of each Leitziel by the event's dots; equal dots, equal rank."""
    ranks = {}
    goals = {m.guiding_goal for m in measures}
    for goal in goals:
        adopted = [m for m in measures if m.guiding_goal == goal and m.decision == "adopt"]
        for measure in adopted:
            ranks[measure.key] = 1 + sum(o.event_votes > measure.event_votes for o in adopted)
    return ranks


def measure_block(writer: Writer, measure: MeasureRow, context: "_Context") -> None:
    """Add one measure: numbered heading, its fields, the cards it answers, origins, proposals."""
    writer.heading(f"{measure.number} {clean(measure.title)}", 2)
    quotes = [
        f"{QUADRANT_SINGULAR.get(c.quadrant, c.quadrant)}: „{clean(c.text)}“" for c in measure.cards
    ]
    others = [text for text in (_other_proposal(measure, o) for o in measure.origins[1:]) if text]
    lines = []
    if context.decided:
        lines.append(("Entscheidung", _decision_text(measure), UNDECIDED))
    lines += [
        ("Ziel", measure.goal, ""),
        ("Verantwortlich", measure.owner, MISSING),
        ("Methode", measure.method, ""),
        ("Umsetzungshorizont", horizon_text(measure.horizon, context.years), MISSING),
        ("Indikator", measure.indicator, MISSING),
        ("Priorität", _priority_text(measure), ""),
    ]
    if measure.key in context.ranks:
        lines.append(("Auswertungsveranstaltung", _event_text(measure, context.ranks), ""))
    lines += [
        ("Antwort auf", "\n".join(quotes), ""),
        ("Herkunft", "\n".join(_origin_text(o) for o in measure.origins), ""),
    ]
    if others:
        lines.append(("Weitere Vorschläge", "\n".join(others), ""))
    for index, (label, value, missing) in enumerate(lines):
        # A measure stays on one page where it fits: every line keeps with the next but the last.
        writer.field_line(label, value, missing=missing, keep_next=index < len(lines) - 1)


def _decision_text(measure: MeasureRow) -> str:
    if measure.decision == "adopt":
        return "übernommen"
    if measure.decision == "defer":
        return f"zurückgestellt: {clean(measure.decision_reason)}"
    return ""  # open: the block flags it


def _event_text(measure: MeasureRow, ranks: dict) -> str:
    goal = f"Leitziel {measure.guiding_goal}" if measure.guiding_goal else "ohne Leitziel"
    dots = counted(measure.event_votes, "Punkt", "Punkte")
    return f"{dots}, Rang {ranks[measure.key]} der übernommenen Maßnahmen zu {goal}"


def horizon_text(horizon: str | None, years: dict[str, str]) -> str:
    """Name the horizon with the years it means: 'kurzfristig (bis 2026)'."""
    if not horizon:
        return ""
    label = HORIZON_LABELS.get(horizon, horizon)
    span = clean(years.get(horizon, ""))
    return f"{label} ({span})" if span else label


def _priority_text(measure: MeasureRow) -> str:
    dots = counted(measure.votes, "Punkt", "Punkte")
    if measure.priority is None:
        return f"{dots}; Zahl der Teilnehmenden unbekannt"
    people = counted(measure.participants, "Teilnehmenden", "Teilnehmenden")
    return f"{decimal(measure.priority)} Punkte je Person ({dots} von {people})"


def _origin_text(origin: Proposal) -> str:
    people = counted(origin.participants, "Person", "Personen")
    return f"{origin.forum_short}, Gruppe {clean(origin.group)} ({people}, {counted(origin.votes, 'Punkt', 'Punkte')})"


def _other_proposal(measure: MeasureRow, origin: Proposal) -> str:
    """Describe what a merged proposal said differently from the measure it was merged into."""
    parts = []
    if clean(origin.title) != clean(measure.title):
        parts.append(f"„{clean(origin.title)}“")
    fields = {
        "Verantwortlich": (origin.owner, measure.owner),
        "Methode": (origin.method, measure.method),
        "Umsetzungshorizont": (
            HORIZON_LABELS.get(origin.horizon or "", ""),
            HORIZON_LABELS.get(measure.horizon or "", ""),
        ),
        "Indikator": (origin.indicator, measure.indicator),
    }
    for label, (theirs, kept) in fields.items():
        if clean(theirs) and clean(theirs) != clean(kept):
            parts.append(f"{label}: {clean(theirs)}")
    if not parts:
        return ""
    return f"Gruppe {clean(origin.group)} ({origin.forum_short}): " + "; ".join(parts)
