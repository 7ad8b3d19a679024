"""SWOT cards of a group: add (idempotent), edit, delete, list what participants may see."""

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import QUADRANTS, Card, Participant
from forum.models.common import utcnow
from forum.services.text import MAX_CARD, clean_text

MAX_CARD_LENGTH = MAX_CARD


def text_problem(text: str | None) -> tuple[str, str | None]:
    """Return the cleaned card text and what stops it as typed: "empty", "long", "changed" or None.

    Cleaning that changed the text is a problem too: the writer should see what will be stored.
    """
    cleaned, changed = clean_text(text)
    if not cleaned:
        return cleaned, "empty"
    if len(cleaned) > MAX_CARD_LENGTH:
        return cleaned, "long"
    return cleaned, "changed" if changed else None


class StaleEdit(Exception):
    """The card changed since the editor loaded it."""

    def __init__(self, card: Card):
        super().__init__("card changed meanwhile")
        self.card = card


def add_card(participant: Participant, quadrant: str, text: str, client_key: str) -> Card:
    """Store a participant's card once, however often the same form is sent."""
    with db.engine.connect() as connection:
        card_id = post_card(
            connection, participant.group_id, participant.id, quadrant, text, client_key
        )
    return db.session.get(Card, card_id)


_CARDS = Card.__table__
# The card post is the busiest write of a forum: one INSERT that skips a key already stored, so
# a retried or twin form costs a second statement only when it really is one.
_INSERT_ONCE = {
    module.dialect.name: module.insert(_CARDS)
    .on_conflict_do_nothing(index_elements=[_CARDS.c.client_key])
    .returning(_CARDS.c.id)
    for module in (postgresql, sqlite)
}
_CARD_BY_KEY = select(_CARDS.c.id).where(_CARDS.c.client_key == bindparam("client_key"))


def post_card(connection, group_id, participant_id, quadrant, text, client_key) -> int:
    """Store a phone's card once per form key; return the card's id (the database logs the change).

    Core statements on a connection outside the ORM session, no objects to load, track or
    flush; committed here. A form sent again (double tap, retry, a twin racing it) finds its key
    taken and gets the card stored first.
    """
    card = _new_card(group_id, participant_id, quadrant, text, client_key)
    insert_once = _INSERT_ONCE[connection.dialect.name]
    try:
        card_id = connection.execute(insert_once, card).scalar()
        if card_id is None:  # the key was taken: the card stored first is this one
            card_id = connection.execute(_CARD_BY_KEY, card).scalar_one()
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    return card_id


def _new_card(group_id, participant_id, quadrant, text, client_key) -> dict:
    """Return the values of a new card; the columns' defaults fill in the rest."""
    now = utcnow()
    return {
        "group_id": group_id,
        "participant_id": participant_id,
        "quadrant": quadrant,
        "text": text,
        "client_key": client_key,
        "created_at": now,
        "updated_at": now,
    }


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
    return card if insert_once(card) else _by_key(client_key)


def insert_once(row) -> bool:
    """Store a row with a unique form key; False if a twin won (the database logs the change)."""
    db.session.add(row)
    try:
        # A concurrent twin's key fails here.
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
    db.session.commit()
    return card


def delete_card(card: Card) -> None:
    """Remove a card and the links measures had to it; cards merged into it show again."""
    # Others' cards merged into this one are theirs: they stay, on their own again.
    db.session.execute(
        update(Card).where(Card.merged_into_id == card.id).values(merged_into_id=None)
    )
    db.session.delete(card)
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


def shown_among(group_id: int, card_ids: set[int], *, with_hidden: bool = False) -> list[Card]:
    """Return those of the given cards that the group's board shows (not hidden, not merged).

    with_hidden: as the moderator console lists them, hidden ones included.
    """
    if not card_ids:
        return []
    query = db.select(Card).where(
        Card.id.in_(card_ids), Card.group_id == group_id, Card.merged_into_id.is_(None)
    )
    if not with_hidden:
        query = query.where(Card.hidden.is_(False))
    return list(db.session.execute(query.order_by(Card.created_at, Card.id)).scalars())


def shown_counts(group_id: int, *, with_hidden: bool = False) -> dict[str, int]:
    """Count the cards the group's board shows, per quadrant (0 for an empty one)."""
    query = (
        db.select(Card.quadrant, func.count())
        .where(Card.group_id == group_id, Card.merged_into_id.is_(None))
        .group_by(Card.quadrant)
    )
    if not with_hidden:
        query = query.where(Card.hidden.is_(False))
    counts = dict.fromkeys(QUADRANTS, 0)
    counts.update((quadrant, count) for quadrant, count in db.session.execute(query))
    return counts
