"""Projector of the Auswertungsveranstaltung: the event's live ranking per Leitziel, the SWOT themes."""

import hashlib

from flask import abort, current_app, render_template
from flask_login import current_user
from markupsafe import Markup

from forum.extensions import db
from forum.live import regions_response
from forum.models import Forum
from forum.moderator import bp
from forum.services import event


def _event_or_403(forum_id: int) -> Forum:
    """The evaluation forum, if the account is a planner or moderates one of its groups."""
    forum = db.session.get(Forum, forum_id)
    if forum is None or not event.is_event(forum):
        abort(404)
    if not (
        current_user.is_planner or any(g.moderator_id == current_user.id for g in forum.groups)
    ):
        abort(403)
    return forum


def _regions(forum: Forum) -> dict[str, Markup]:
    # The fragments come from autoescaping templates, so the page may embed them as they are.
    return {
        "event-ranking": Markup(
            render_template(
                "moderator/_event_ranking.html", sections=event.ranking(forum.process, forum)
            )
        ),
        "event-themes": Markup(
            render_template("moderator/_event_themes.html", themes=event.themes(forum.process))
        ),
    }


@bp.get("/forums/<int:forum_id>/auswertung")
def event_projector(forum_id):
    """Show the event's ranking of the adopted measures and the consolidated SWOT, large."""
    forum = _event_or_403(forum_id)
    return render_template(
        "moderator/event_projector.html",
        forum=forum,
        regions=_regions(forum),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    )


@bp.get("/forums/<int:forum_id>/auswertung/live")
def event_projector_live(forum_id):
    """Return the projector's regions, or 304 while they are what the projector shows.

    The version is a digest of the regions themselves: dots, decisions and themes change it
    whoever changed them, and one projector per event can afford to render them each poll.
    """
    forum = _event_or_403(forum_id)
    regions = _regions(forum)
    digest = hashlib.sha256("\0".join(regions.values()).encode()).hexdigest()[:20]
    return regions_response(f"e{forum.id}-{digest}", lambda: regions)
