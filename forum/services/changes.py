"""What changed on a group's board: a version token, and the cards or measures changed since one.

The database logs every change of a group's cards, measures and dots in board_change (triggers,
see forum.models.BoardChange). A version is "<last change id>.<number of changes>": the id says
where a page stands, the count catches a change that committed late (PostgreSQL hands out ids
when a transaction writes, so one holding a lower id may commit after one holding a higher).
"""

import re

from sqlalchemy import String, case, cast, func, select, true

from forum.extensions import db
from forum.models import BoardChange

# More changes than this since a page's version: the whole list is the smaller answer.
MAX_CHANGES = 40
_LOG = BoardChange.__table__
_TOKEN = re.compile(r"(\d{1,18})\.(\d{1,18})")


def version_of(group_id):
    """SQL for the version token of a group (a column or a value), as a scalar subquery."""
    last = cast(func.coalesce(func.max(_LOG.c.id), 0), String)
    return (
        select(last + "." + cast(func.count(), String))
        .where(_LOG.c.group_id == group_id)
        .scalar_subquery()
    )


def version(group_id: int) -> str:
    """Return the group's version token, e.g. "812.97", in one indexed aggregate."""
    return db.session.execute(select(version_of(group_id))).scalar_one()


def since(group_id: int, token: str | None, kind: str) -> set[int] | None:
    """Return the ids of the group's `kind` items ("card", "measure") changed since `token`.

    None means "send the whole list": the token is malformed or from elsewhere, more than
    MAX_CHANGES changes came since, or a change committed late behind the token's last id.
    """
    then = _parse(token)
    if then is None:
        return None
    last, count = then
    group = _LOG.c.group_id == group_id
    totals = (
        select(
            func.coalesce(func.max(_LOG.c.id), 0).label("last"),
            func.count().label("count"),
            func.coalesce(func.sum(case((_LOG.c.id > last, 1), else_=0)), 0).label("newer"),
        )
        .where(group)
        .subquery()
    )
    items = (
        select(_LOG.c.item_id)
        .where(group, _LOG.c.kind == kind, _LOG.c.id > last)
        .order_by(_LOG.c.id)
        .limit(MAX_CHANGES + 1)
        .subquery()
    )
    rows = db.session.execute(
        select(totals.c.last, totals.c.count, totals.c.newer, items.c.item_id).select_from(
            totals.outerjoin(items, true())
        )
    ).all()
    last_now, count_now, newer = rows[0][:3]
    if last > last_now or count_now - count != newer:
        # A token from the future or another group, or a change committed behind `last`.
        return None
    ids = [row.item_id for row in rows if row.item_id is not None]
    if len(ids) > MAX_CHANGES:
        return None
    return set(ids)


def _parse(token: str | None) -> tuple[int, int] | None:
    found = _TOKEN.fullmatch(token or "")
    return (int(found[1]), int(found[2])) if found else None
