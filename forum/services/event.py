"""The Auswertungsveranstaltung: the process's adopted measures, the event's dots on them.

Phones of an evaluation forum (Forum.kind "evaluation") vote on the measures the planners
adopted (Measure.decision "adopt"), across every forum of the process, with the plan numbers
of the plan chapter. Their dots are the event's priority: counted apart from the dots the
groups gave in their forum (see report.py), and ranked per Leitziel for the projector.
"""

from dataclasses import dataclass, field

from sqlalchemy import func

from forum.extensions import db
from forum.models import Forum, Measure, Participant, Process, Vote
from forum.services.auswertung.workspace import ThemeView, workspace
from forum.services.report import plan_measures

EVALUATION = "evaluation"


def is_event(forum: Forum) -> bool:
    """Whether phones of this forum vote on the process's adopted measures."""
    return forum.kind == EVALUATION


@dataclass
class EventMeasure:
    """An adopted measure as the event shows it: plan number, text, the event's dots."""

    id: int  # the kept measure's id, which the dots go on
    number: str  # "M 2.3"
    title: str
    goal: str
    dots: int = 0
    rank: int = 0


@dataclass
class GoalSection:
    """The adopted measures of one Leitziel (number 0: not yet assigned to one)."""

    number: int
    text: str
    measures: list[EventMeasure] = field(default_factory=list)


def adopted_by_goal(process: Process, forum: Forum) -> list[GoalSection]:
    """The adopted measures by Leitziel in plan order, each with this event's dots on it."""
    rows = plan_measures(process, list(process.forums))
    adopted = set(
        db.session.execute(
            db.select(Measure.id).where(
                Measure.id.in_([row.key for row in rows]), Measure.decision == "adopt"
            )
        ).scalars()
    )
    dots = event_dots(forum)
    goals = {goal.position: goal.text for goal in process.guiding_goals}
    sections: dict[int, GoalSection] = {}
    for row in rows:
        if row.key not in adopted:
            continue
        number = row.guiding_goal or 0
        section = sections.setdefault(number, GoalSection(number, goals.get(number, "")))
        section.measures.append(
            EventMeasure(row.key, row.number, row.title, row.goal, dots.get(row.key, 0))
        )
    # Numbered Leitziele first, in their order; measures without one last.
    return sorted(sections.values(), key=lambda s: (s.number == 0, s.number))


def event_dots(forum: Forum) -> dict[int, int]:
    """The dots this event's participants placed, by measure."""
    rows = db.session.execute(
        db.select(Vote.measure_id, func.count(Vote.id))
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Participant.forum_id == forum.id)
        .group_by(Vote.measure_id)
    )
    return dict(rows.all())


def ranking(process: Process, forum: Forum) -> list[GoalSection]:
    """Each Leitziel's adopted measures, most event dots first; equal dots share a rank.

    Equal dots keep the plan's order (its number), so the ranking is the same on every screen.
    """
    sections = adopted_by_goal(process, forum)
    for section in sections:
        section.measures.sort(key=lambda m: -m.dots)  # stable: plan order within equal dots
        rank, last = 0, None
        for position, measure in enumerate(section.measures, start=1):
            if measure.dots != last:
                rank, last = position, measure.dots
            measure.rank = rank
    return sections


def themes(process: Process) -> list[ThemeView]:
    """The consolidated SWOT's themes a planner marked for the plan, by quadrant, largest first.

    Unmarked themes stay off the projector: they are the software's suggestions, named after one
    card, and in front of the room they would look like the planners' result.
    """
    return [
        view
        for quadrant in workspace(process)
        for view in quadrant.themes
        if view.theme.for_plan and view.cards
    ]
