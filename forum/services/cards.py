"""SWOT cards of a group: add (idempotent), edit, delete, list what participants may see."""

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from forum import driver_sql
from forum.database import WritersTurn, writers_turn
from forum.driver_sql import DriverStatement
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
# The card post is the busiest write of a forum: its statements go straight to the driver.
_INSERT_CARD = DriverStatement(
    insert(_CARDS)
    .values({column.key: bindparam(column.key) for column in _CARDS.c if column.key != "id"})
    .returning(_CARDS.c.id)
)
_CARD_BY_KEY = DriverStatement(select(_CARDS.c.id).where(_CARDS.c.client_key == bindparam("key")))
# A new card's columns as an ORM insert fills them in: scalar defaults, else NULL.
_NEW_CARD = {
    column.key: column.default.arg
    if column.default is not None and column.default.is_scalar
    else None
    for column in _CARDS.c
    if column.key != "id"
}


def post_card(connection, group_id, participant_id, quadrant, text, client_key) -> int:
    """Store a phone's card once per form key; return the card's id (the database logs the change).

    Plain statements on a connection outside the ORM session, no objects to load, track or
    flush; committed here. A form sent again (double tap, retry, a twin racing it) finds its key
    taken and gets the card stored first. On SQLite, cards wait for the writers' turn
    (forum.database.writers_turn) and are stored together with the cards that waited beside them.
    """
    values = _new_card(group_id, participant_id, quadrant, text, client_key)
    turn = writers_turn(connection.engine)
    if turn is None:
        return _store(connection, values)
    return _store_in_turn(connection, turn, _Queued(values))


def _new_card(group_id, participant_id, quadrant, text, client_key) -> dict:
    """Return every column of a new card, as an ORM insert would fill them in."""
    now = utcnow()
    return {
        **_NEW_CARD,
        "group_id": group_id,
        "participant_id": participant_id,
        "quadrant": quadrant,
        "text": text,
        "client_key": client_key,
        "created_at": now,
        "updated_at": now,
    }


class _Queued:
    """A card waiting for the writers' turn, and what became of it."""

    __slots__ = ("values", "card_id", "error", "done")

    def __init__(self, values: dict):
        self.values, self.card_id, self.error, self.done = values, None, None, False


def _store_in_turn(connection, turn: WritersTurn, queued: _Queued) -> int:
    turn.waiting.append(queued)
    with turn.mutex:
        if not queued.done:
            # Whoever gets the turn stores what this process's other threads queued meanwhile,
            # in one commit: under a room's load that saves a commit and a turn per card.
            batch = turn.waiting[:]
            del turn.waiting[: len(batch)]
            with turn.file_lock:
                _store_batch(connection, batch)

    if queued.error is not None:
        raise queued.error
    return queued.card_id


def _store_batch(connection, batch: list[_Queued]) -> None:
    try:
        for queued in batch:
            queued.card_id = _insert(connection, queued.values)
        driver_sql.commit(connection)
    except driver_sql.integrity_error(connection):
        # A key already stored (a retry): store the batch card by card instead.
        driver_sql.rollback(connection)
        for queued in batch:
            try:
                queued.card_id = _store(connection, queued.values)
            except Exception as error:
                queued.error = error
    except Exception as error:
        driver_sql.rollback(connection)
        for queued in batch:
            queued.error = error
    finally:
        for queued in batch:
            queued.done = True


def _store(connection, values: dict) -> int:
    try:
        card_id = _insert(connection, values)
        driver_sql.commit(connection)
        return card_id
    except driver_sql.integrity_error(connection):
        driver_sql.rollback(connection)
        stored = _CARD_BY_KEY.execute(connection, {"key": values["client_key"]}).fetchone()
        if stored is None:
            raise
        return stored[0]


def _insert(connection, values: dict) -> int:
    return _INSERT_CARD.execute(connection, values).fetchone()[0]


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


def shown_among(group_id: int, card_ids: set[int]) -> list[Card]:
    """Return those of the given cards that the group's board shows (not hidden, not merged)."""
    if not card_ids:
        return []
    query = db.select(Card).where(
        Card.id.in_(card_ids),
        Card.group_id == group_id,
        Card.merged_into_id.is_(None),
        Card.hidden.is_(False),
    )
    return list(db.session.execute(query.order_by(Card.created_at, Card.id)).scalars())


def shown_counts(group_id: int) -> dict[str, int]:
    """Count the cards the group's board shows, per quadrant (0 for an empty one)."""
    query = (
        db.select(Card.quadrant, func.count())
        .where(Card.group_id == group_id, Card.merged_into_id.is_(None), Card.hidden.is_(False))
        .group_by(Card.quadrant)
    )
    counts = dict.fromkeys(QUADRANTS, 0)
    counts.update((quadrant, count) for quadrant, count in db.session.execute(query))
    return counts
