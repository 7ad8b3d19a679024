"""What moderators do to a group's cards and measures: hide, merge, move, complete."""

from forum.extensions import db
from forum.models import QUADRANTS, Card, GuidingGoal, Measure
from forum.services.cards import StaleEdit, insert_once

MEASURE_FIELDS = ("goal", "title", "owner", "method", "horizon", "indicator")


def set_hidden(card: Card, hidden: bool) -> None:
    """Hide an inappropriate card from phones and exports, or show it again."""
    card.hidden = hidden
    card.version += 1
    db.session.commit()


def move_card(card: Card, quadrant: str) -> None:
    """Put a card into another quadrant."""
    if quadrant not in QUADRANTS:
        raise ValueError(quadrant)
    if card.quadrant != quadrant:
        card.quadrant = quadrant
        card.version += 1
    db.session.commit()


def merge_cards(cards: list[Card]) -> Card:
    """Keep the first card; the others become part of it and raise its count."""
    keep, *others = cards
    for card in others:
        if card.group_id != keep.group_id or card.id == keep.id:
            raise ValueError("cards of one group only")
        keep.merge_count += card.merge_count
        card.merged_into_id = keep.id
        # Cards earlier merged into this one now count for the kept card directly.
        for child in db.session.execute(
            db.select(Card).filter_by(merged_into_id=card.id)
        ).scalars():
            child.merged_into_id = keep.id
    keep.version += 1
    db.session.commit()
    return keep


def add_measure(
    group_id: int, goal: str, title: str, client_key: str, *, participant=None
) -> Measure:
    """Store a proposed goal and measure once per form key."""
    existing = _measure_by_key(client_key)
    if existing is not None:
        return existing
    measure = Measure(
        group_id=group_id,
        goal=goal,
        title=title,
        client_key=client_key,
        participant_id=participant.id if participant else None,
    )
    return measure if insert_once(measure) else _measure_by_key(client_key)


def _measure_by_key(client_key: str) -> Measure | None:
    return db.session.execute(
        db.select(Measure).filter_by(client_key=client_key)
    ).scalar_one_or_none()


def all_in_group(group_id: int, card_ids: list[int]) -> bool:
    """Tell whether every card id names a card of this group."""
    wanted = set(card_ids)
    found = db.session.execute(
        db.select(db.func.count(Card.id)).where(Card.id.in_(wanted), Card.group_id == group_id)
    ).scalar()
    return found == len(wanted)


def edit_measure(
    measure: Measure, version: int, fields: dict, card_ids, guiding_goal_id
) -> Measure:
    """Complete a measure unless someone changed it since `version`."""
    if measure.version != version:
        raise StaleEdit(measure)
    for name in MEASURE_FIELDS:
        setattr(measure, name, fields.get(name) or ("" if name != "horizon" else None))
    measure.cards = list(
        db.session.execute(
            db.select(Card).where(Card.id.in_(card_ids), Card.group_id == measure.group_id)
        ).scalars()
    )
    goal = db.session.get(GuidingGoal, guiding_goal_id) if guiding_goal_id else None
    measure.guiding_goal = (
        goal if goal and goal.process_id == measure.group.forum.process_id else None
    )
    measure.version += 1
    db.session.commit()
    return measure


def set_measure_hidden(measure: Measure, hidden: bool) -> None:
    """Hide a measure from phones and exports, or show it again."""
    measure.hidden = hidden
    measure.version += 1
    db.session.commit()
