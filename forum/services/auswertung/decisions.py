"""The planners' decision on each measure of the process, with its Leitziel and SWOT themes."""

from forum.extensions import db
from forum.models import DECISIONS, GuidingGoal, Measure, Process, Theme
from forum.services.text import MAX_LONG, clean_text


class Conflict(Exception):
    """Someone changed the measure since the planner loaded the page."""


class Refused(ValueError):
    """A decision the planner has to complete first (the message says what)."""


def decide(
    process: Process,
    measure: Measure,
    *,
    decision: str,
    reason: str,
    goal_id: int | None,
    theme_ids: list[int],
    version,
) -> None:
    """Store a decision (open, adopt, defer with a reason), the Leitziel and the themes."""
    reason = clean_text(reason)[0]
    if decision not in DECISIONS:
        raise Refused("decision")
    if decision == "defer" and not reason:
        raise Refused("reason")
    if len(reason) > MAX_LONG:
        raise Refused("length")
    goal = db.session.get(GuidingGoal, goal_id) if goal_id else None
    themes = [db.session.get(Theme, theme_id) for theme_id in theme_ids]
    if (goal is not None and goal.process_id != process.id) or any(
        theme is None or theme.process_id != process.id for theme in themes
    ):
        raise Refused("reference")
    if str(version) != str(measure.version):
        raise Conflict(measure.title)
    measure.decision, measure.decision_reason = decision, reason
    measure.guiding_goal, measure.themes = goal, themes
    measure.version += 1
    db.session.commit()
