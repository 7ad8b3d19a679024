"""What changed on a group's board: a version token, and the cards or measures changed since one.

The database logs every change of a group's cards, measures and dots in board_change (triggers,
see forum.models.BoardChange). A version is "<last change id>.<recent changes>": the group's
newest change id says where a page stands, and the number of the group's changes among the
last WINDOW ids up to it catches a change that committed late (PostgreSQL hands out ids when
a transaction writes, so one holding a lower id may commit after one holding a higher). Both
are short ranges of one index: reading a version costs the same after hours of a forum.
"""

import re
from typing import NamedTuple

from sqlalchemy import String, and_, bindparam, cast, false, func, select, true
from sqlalchemy.engine import Connection, Row

from forum.extensions import db
from forum.models import QUADRANTS, BoardChange, Card

# More changes than this since a page's version: the whole list is the smaller answer.
MAX_CHANGES = 40
# Change ids (of all groups) a version looks back and a page may fall behind. A transaction
# that stays open while this many changes commit could hide its change from a page; a card
# post's or an edit's lasts milliseconds, a room writes a few changes a second.
WINDOW = 1000
_LOG = BoardChange.__table__
_TOKEN = re.compile(r"(\d{1,18})\.(\d{1,18})")


def _newest(group_id):
    return (
        select(func.coalesce(func.max(_LOG.c.id), 0))
        .where(_LOG.c.group_id == group_id)
        .correlate_except(_LOG)
        .scalar_subquery()
    )


def _recent(group_id, last):
    """SQL counting the group's changes among the WINDOW ids up to `last`."""
    return (
        select(func.count())
        .where(_LOG.c.group_id == group_id, _LOG.c.id > last - WINDOW, _LOG.c.id <= last)
        .correlate_except(_LOG)
        .scalar_subquery()
    )


def version_of(group_id):
    """SQL for the version token of a group (a column or a value)."""
    newest = _newest(group_id)
    return cast(newest, String) + "." + cast(_recent(group_id, newest), String)


def version(group_id: int) -> str:
    """Return the group's version token, e.g. "812.97"."""
    return db.session.execute(select(version_of(group_id))).scalar_one()


def since(group_id: int, token: str | None, kind: str) -> set[int] | None:
    """Return the ids of the group's `kind` items ("card", "measure") changed since `token`.

    None means "send the whole list": the token is malformed or from elsewhere, more than
    MAX_CHANGES changes or WINDOW ids came since, or a change committed late behind the token.
    """
    then = _parse(token)
    if then is None:
        return None
    last, _ = then
    totals = select(
        _newest(group_id).label("newest"), _recent(group_id, last).label("recent")
    ).subquery()
    items = _changed_items(group_id, last, kind)
    rows = db.session.execute(
        select(totals.c.newest, totals.c.recent, items.c.item_id).select_from(
            totals.outerjoin(items, true())
        )
    ).all()
    ids = [row.item_id for row in rows if row.item_id is not None]
    return set(ids) if _catches_up(then, rows[0], len(ids)) else None


def _changed_items(group_id, last, kind: str):
    """SQL for the ids of the group's `kind` items logged after `last`, MAX_CHANGES + 1 at most."""
    return (
        select(_LOG.c.item_id)
        .where(
            _LOG.c.group_id == group_id,
            _LOG.c.id > last,
            _LOG.c.id <= last + WINDOW,
            _LOG.c.kind == kind,
        )
        .order_by(_LOG.c.id)
        .limit(MAX_CHANGES + 1)
        .subquery()
    )


def _catches_up(then: tuple[int, int], totals: Row, changes: int) -> bool:
    """Whether a page at version `then` can catch up by `changes` logged changes alone.

    Not when its token is from the future or another group, a change committed behind it, or
    more than WINDOW ids or MAX_CHANGES changes came since.
    """
    last, count = then
    if last > totals.newest or totals.recent != count:
        return False
    return totals.newest <= last + WINDOW and changes <= MAX_CHANGES


class CardDelta(NamedTuple):
    """A group's board since a version: the changed card ids, those still shown, the counts."""

    changed: set[int]
    # Rows with the columns a board card shows (id, quadrant, text, …), oldest first.
    shown: list[Row]
    counts: dict[str, int]


_CARDS = Card.__table__
_GROUP, _LAST = bindparam("group_id"), bindparam("last")
_SHOWN = and_(_CARDS.c.merged_into_id.is_(None), _CARDS.c.hidden == false())


def _card_delta_statement():
    """One statement for a changed board poll: the versions, the counts, the changed cards.

    Built once: a phone's poll is the busiest request of a room, and building a statement
    costs more CPU than SQLite takes to run it.
    """
    totals = (
        select(
            _newest(_GROUP).label("newest"),
            _recent(_GROUP, _LAST).label("recent"),
            *(func.count().filter(_CARDS.c.quadrant == q).label(q) for q in QUADRANTS),
        )
        .where(_CARDS.c.group_id == _GROUP, _SHOWN)
        .subquery()
    )
    items = _changed_items(_GROUP, _LAST, "card")
    shown = and_(_CARDS.c.id == items.c.item_id, _CARDS.c.group_id == _GROUP, _SHOWN)
    card = (_CARDS.c.id, _CARDS.c.quadrant, _CARDS.c.text, _CARDS.c.participant_id)
    return (
        select(totals, items.c.item_id, *card, _CARDS.c.client_key, _CARDS.c.created_at)
        .select_from(totals.outerjoin(items, true()).outerjoin(_CARDS, shown))
        .order_by(_CARDS.c.created_at, _CARDS.c.id)
    )


_CARD_DELTA = _card_delta_statement()


def card_delta(connection: Connection, group_id: int, token: str | None) -> CardDelta | None:
    """Return what changed on a group's board since `token`, in one statement; None as since."""
    then = _parse(token)
    if then is None:
        return None
    last, _ = then
    rows = connection.execute(_CARD_DELTA, {"group_id": group_id, "last": last}).all()
    changed = [row.item_id for row in rows if row.item_id is not None]
    if not _catches_up(then, rows[0], len(changed)):
        return None
    shown = [row for row in rows if row.id is not None]
    return CardDelta(set(changed), shown, {q: rows[0]._mapping[q] for q in QUADRANTS})


def _parse(token: str | None) -> tuple[int, int] | None:
    found = _TOKEN.fullmatch(token or "")
    return (int(found[1]), int(found[2])) if found else None
