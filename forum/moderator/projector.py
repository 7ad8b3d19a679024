"""Projector view of a group for the plenum: SWOT matrix, ranked measures, presentation timer."""

import re

from flask import current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from forum.live import answer, item, live_response
from forum.models import Card, Group, Measure
from forum.moderator import bp
from forum.moderator.access import group_or_403, may_moderate
from forum.services import cards, changes, phases, voting

DEFAULT_PRESENTATION_MINUTES = 10
# What fits a 16:9 beamer at the smallest type (projector.css hides the rest by these counts).
CARDS_SHOWN = 10
MEASURES_SHOWN = 8


def neighbours(group: Group) -> tuple[Group | None, Group | None]:
    """Return the previous and next group of the forum the account may show, wrapping around."""
    groups = [other for other in group.forum.groups if may_moderate(other)]
    if len(groups) < 2:
        return None, None
    index = groups.index(group)
    return groups[index - 1], groups[(index + 1) % len(groups)]


def ranked(group_id: int) -> list[tuple[int, Measure, int]]:
    """Return (rank, measure, dots), equal dots sharing a rank: 1, 2, 2, 4."""
    rows, rank, last = [], 0, None
    for position, (measure, dots) in enumerate(voting.ranking(group_id), start=1):
        if dots != last:
            rank, last = position, dots
        rows.append((rank, measure, dots))
    return rows


def presentation_minutes(forum) -> int:
    """Minutes each group presents: the agenda's per-group plenum phase, else ten."""
    for agenda_item in forum.agenda_items:
        if agenda_item.phase == "plenum" and agenda_item.per_group and agenda_item.minutes:
            return agenda_item.minutes
    return DEFAULT_PRESENTATION_MINUTES


def more_line(count: int, limit: int) -> str:
    """The "+N weitere" line for a list the projector shows only `limit` items of."""
    return _("+%(count)s weitere", count=count - limit) if count > limit else ""


def projector_etag(group: Group) -> str:
    """Version of the slide: the group's board changes and the running phase (the timer)."""
    return f"p{group.id}v{changes.version(group.id)}{phases.group_tag(group.forum, group)}"


def _held_version(group: Group) -> str | None:
    """The change-log version the polling page holds, read from its If-None-Match."""
    for tag in request.if_none_match.as_set():
        if (found := _ETAG.fullmatch(tag)) and int(found["group"]) == group.id:
            return found["version"]
    return None


_ETAG = re.compile(r"p(?P<group>\d+)v(?P<version>\d+\.\d+)f.*")


def _card_html(card: Card) -> str:
    return render_template("moderator/_projector_card.html", card=card)


def _measure_html(rank: int, measure: Measure, dots: int) -> str:
    return render_template(
        "moderator/_projector_measure.html", rank=rank, measure=measure, dots=dots
    )


def _regions(group: Group) -> dict[str, Markup]:
    """Every region of the slide whole: the lists and their "+N weitere" lines."""
    # The fragments come from autoescaping templates, so the page may embed them as they are.
    board = cards.board(group.id)
    regions = {
        f"cards-{quadrant}": Markup(render_template("moderator/_projector_cards.html", cards=items))
        for quadrant, items in board.items()
    }
    rows = ranked(group.id)
    regions["measures"] = Markup(render_template("moderator/_projector_measures.html", rows=rows))
    return regions | _more_lines(board, rows)


def _more_lines(board: dict[str, list[Card]], rows: list) -> dict[str, Markup]:
    lines = {f"more-{q}": Markup(more_line(len(items), CARDS_SHOWN)) for q, items in board.items()}
    return lines | {"more-measures": Markup(more_line(len(rows), MEASURES_SHOWN))}


def _answer(group: Group) -> dict:
    """The cards and measures changed since the page's version, or the whole slide.

    The "+N weitere" lines come whole each time (a few bytes). A measure's rank depends on the
    dots of the others (equal dots share a rank), so when any measure changed, every rank cell
    comes as a small region; the rows themselves only when they changed.
    """
    timer = phases.state(group.forum, group)
    held = _held_version(group)
    changed_cards = changes.since(group.id, held, "card") if held else None
    changed_measures = changes.since(group.id, held, "measure") if held else None
    if changed_cards is None or changed_measures is None:
        return answer(regions=_regions(group), timer=timer)
    board = cards.board(group.id)
    rows = ranked(group.id)
    regions = _more_lines(board, rows)
    shown = [card for items in board.values() for card in items if card.id in changed_cards]
    items = [item(f"card-{c.id}", f"cards-{c.quadrant}", _card_html(c)) for c in shown]
    remove = [f"card-{i}" for i in sorted(changed_cards - {c.id for c in shown})]
    if changed_measures:
        regions |= {f"rank-{measure.id}": f"{rank}." for rank, measure, _dots in rows}
        listed = {measure.id for _rank, measure, _dots in rows}
        items += [
            item(f"measure-{row[1].id}", "measures", _measure_html(*row))
            for row in rows
            if row[1].id in changed_measures
        ]
        remove += [f"measure-{i}" for i in sorted(changed_measures - listed)]
    return answer(regions=regions, items=items, remove=remove, timer=timer)


@bp.get("/groups/<int:group_id>/projector")
def projector(group_id):
    """Show the group's results for the plenum, read-only and in large type."""
    group = group_or_403(group_id)
    previous, following = neighbours(group)
    return render_template(
        "moderator/projector.html",
        group=group,
        forum=group.forum,
        regions=_regions(group),
        etag=projector_etag(group),
        previous=previous,
        following=following,
        minutes=presentation_minutes(group.forum),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    )


@bp.get("/groups/<int:group_id>/projector/live")
def projector_live(group_id):
    """Answer the slide's poll: what changed since the page's version, or 304."""
    group = group_or_403(group_id)
    return live_response(projector_etag(group), lambda: _answer(group))
