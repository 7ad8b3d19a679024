"""Figures a planner watches during a forum: who joined, how many cards, how far the measures are."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from forum.extensions import db
from forum.models import Card, Forum, Group, Measure, Participant


@dataclass
class GroupFigures:
    """What one group has so far."""

    group: Group
    participants: Counter = field(default_factory=Counter)  # org type -> count
    cards: Counter = field(default_factory=Counter)  # quadrant -> visible cards
    measures: int = 0
    complete: int = 0  # measures with owner, horizon and indicator

    @property
    def people(self) -> int:
        """Participants in the group."""
        return sum(self.participants.values())


def forum_figures(forum: Forum) -> list[GroupFigures]:
    """Count participants, cards and measures per group with three grouped queries."""
    figures = {group.id: GroupFigures(group) for group in forum.groups}
    people = db.session.execute(
        db.select(Participant.group_id, Participant.org_type, func.count())
        .filter_by(forum_id=forum.id)
        .group_by(Participant.group_id, Participant.org_type)
    )
    for group_id, org_type, count in people:
        if group_id in figures:
            figures[group_id].participants[org_type] = count
    cards = db.session.execute(
        db.select(Card.group_id, Card.quadrant, func.count())
        .where(Card.group_id.in_(figures), Card.hidden.is_(False), Card.merged_into_id.is_(None))
        .group_by(Card.group_id, Card.quadrant)
    )
    for group_id, quadrant, count in cards:
        figures[group_id].cards[quadrant] = count
    measures = db.session.execute(
        db.select(Measure).where(
            Measure.group_id.in_(figures),
            Measure.hidden.is_(False),
            Measure.merged_into_id.is_(None),
        )
    ).scalars()
    for measure in measures:
        figures[measure.group_id].measures += 1
        figures[measure.group_id].complete += not measure.missing
    return list(figures.values())


def totals(figures: list[GroupFigures]) -> GroupFigures:
    """Sum the figures of all groups (group is None)."""
    total = GroupFigures(group=None)
    for figure in figures:
        total.participants.update(figure.participants)
        total.cards.update(figure.cards)
        total.measures += figure.measures
        total.complete += figure.complete
    return total
