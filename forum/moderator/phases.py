"""Phase timer for moderators: extend the running phase for the own group."""

from flask import flash, jsonify, redirect, url_for
from flask_babel import gettext as _

from forum.moderator import bp
from forum.moderator.access import group_or_403
from forum.services import phases

EXTEND_MINUTES = 5


@bp.post("/groups/<int:group_id>/extend")
def extend(group_id):
    """Give the group five more minutes in the running phase."""
    group = group_or_403(group_id)
    if phases.extend(group, EXTEND_MINUTES):
        flash(
            _(
                "Die Phase Ihrer Gruppe wurde um %(minutes)d Minuten verlängert.",
                minutes=EXTEND_MINUTES,
            )
        )
    else:
        flash(_("Es läuft gerade keine Phase, die sich verlängern ließe."), "error")
    return redirect(url_for("moderator.console", group_id=group.id))


@bp.get("/groups/<int:group_id>/timer")
def timer(group_id):
    """Return the phase state of the group as JSON, never cached."""
    group = group_or_403(group_id)
    response = jsonify(phases.state(group.forum, group))
    response.headers["Cache-Control"] = "no-store"
    return response
