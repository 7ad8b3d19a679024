"""Projector view of a group for the plenum: SWOT matrix, ranked measures, presentation timer."""

from flask import current_app, render_template
from markupsafe import Markup

from forum.live import regions_response
from forum.models import Group, Measure
from forum.moderator import bp
from forum.moderator.access import group_or_403, may_moderate
from forum.services import cards, changes, phases, voting

DEFAULT_PRESENTATION_MINUTES = 10


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
    for item in forum.agenda_items:
        if item.phase == "plenum" and item.per_group and item.minutes:
            return item.minutes
    return DEFAULT_PRESENTATION_MINUTES


def _regions(group: Group) -> dict[str, Markup]:
    # The fragments come from autoescaping templates, so the page may embed them as they are.
    regions = {
        f"cards-{quadrant}": Markup(render_template("moderator/_projector_cards.html", cards=items))
        for quadrant, items in cards.board(group.id).items()
    }
    regions["measures"] = Markup(
        render_template("moderator/_projector_measures.html", rows=ranked(group.id))
    )
    return regions


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
        previous=previous,
        following=following,
        minutes=presentation_minutes(group.forum),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    )


@bp.get("/groups/<int:group_id>/projector/live")
def projector_live(group_id):
    """Return the projector's regions as HTML fragments, or 304 while the group is unchanged."""
    group = group_or_403(group_id)
    etag = f"p{group.id}v{changes.version(group.id)}{phases.group_tag(group.forum, group)}"
    return regions_response(etag, lambda: _regions(group))
