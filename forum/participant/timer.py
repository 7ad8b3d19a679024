"""The running phase's timer for phones, in server time."""

from flask import g, jsonify

from forum.participant import bp
from forum.participant.access import participant_required
from forum.services import phases


@bp.get("/<code>/timer")
@participant_required
def timer(code):
    """Return the phase state of the phone's group; never cached, it is only true now."""
    response = jsonify(phases.state(g.forum, g.participant.group))
    response.headers["Cache-Control"] = "no-store"
    return response
