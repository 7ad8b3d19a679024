"""SWOT cards of a group: add (idempotent), edit, delete, list what participants may see."""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import QUADRANTS, Card, Group, Participant

MAX_CARD_LENGTH = 500


class StaleEdit(Exception):
    """The card changed since the editor loaded it."""

    def __init__(self, card: Card):
        super().__init__("card changed meanwhile")
        self.card = card


def bump_revision(group_id: int) -> None:
    """Mark the group's board as changed so that polling phones fetch it again."""
    db.session.execute(
        update(Group).where(Group.id == group_id).values(revision=Group.revision + 1)
    )


def add_card(participant: Participant, quadrant: str, text: str, client_key: str) -> Card:
    """Store a participant's card once, however often the same form is sent."""
    return store_card(participant.group_id, quadrant, text, client_key, participant=participant)


def store_card(group_id, quadrant, text, client_key, *, participant=None, author=None) -> Card:
    """Store a card of a participant or (typed in from paper) of a moderator, once per key."""
    existing = _by_key(client_key)
    if existing is not None:
        return existing
    card = Card(
        group_id=group_id,
        participant_id=participant.id if participant else None,
        author_user_id=author.id if author else None,
        quadrant=quadrant,
        text=text,
        client_key=client_key,
    )
    # A concurrent retry of the same form may win the race: its card is ours.
    return card if insert_once(card, group_id) else _by_key(client_key)


def insert_once(row, group_id: int) -> bool:
    """Store a row with a unique form key and mark its group changed; False if a twin won."""
    db.session.add(row)
    try:
        # Flushes the insert first: a concurrent twin's key fails here or at commit.
        bump_revision(group_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def stored(client_key: str) -> bool:
    """Tell whether a card with this form key is already stored (a retry of a sent form)."""
    return _by_key(client_key) is not None


def _by_key(client_key: str) -> Card | None:
    return db.session.execute(db.select(Card).filter_by(client_key=client_key)).scalar_one_or_none()


def edit_card(card: Card, text: str, quadrant: str, version: int) -> Card:
    """Change a card's text and quadrant unless someone changed it since `version`."""
    if card.version != version:
        raise StaleEdit(card)
    if (card.text, card.quadrant) != (text, quadrant):
        card.text, card.quadrant = text, quadrant
        card.version += 1
        bump_revision(card.group_id)
    db.session.commit()
    return card


def delete_card(card: Card) -> None:
    """Remove a card and the links measures had to it."""
    group_id = card.group_id
    db.session.delete(card)
    bump_revision(group_id)
    db.session.commit()


def board(group_id: int, *, with_hidden: bool = False) -> dict[str, list[Card]]:
    """Return the group's cards per quadrant, oldest first; hidden ones only for moderators."""
    query = db.select(Card).filter_by(group_id=group_id, merged_into_id=None)
    if not with_hidden:
        query = query.filter_by(hidden=False)
    cards = db.session.execute(query.order_by(Card.created_at, Card.id)).scalars()
    quadrants: dict[str, list[Card]] = {quadrant: [] for quadrant in QUADRANTS}
    for card in cards:
        quadrants[card.quadrant].append(card)
    return quadrants


def group_revision(group_id: int) -> int:
    """Read the group's revision without loading anything else."""
    return db.session.execute(db.select(Group.revision).filter_by(id=group_id)).scalar_one()
