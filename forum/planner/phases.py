"""Phase controls for planners: start, advance and stop the forum's work phases."""

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import AgendaItem
from forum.planner import bp
from forum.planner.forums import forum_or_404
from forum.services import phases


@bp.context_processor
def phase_helpers():
    """Give the forum page its list of work phases."""
    return {"work_phases": phases.work_phases}


@bp.post("/forums/<slug>/phase")
def phase(slug):
    """Start a chosen phase, move on to the next one, or stop the timer."""
    forum = forum_or_404(slug)
    action = request.form.get("action")
    back = redirect(url_for(".forum", slug=slug, _anchor="phase-heading"))
    if action == "start":
        item = db.session.get(AgendaItem, request.form.get("item", type=int) or 0)
        if item is None or item not in phases.work_phases(forum):
            flash(_("Diese Phase gibt es in der Tagesordnung nicht."), "error")
            return back
        phases.start(forum, item)
        flash(_("Phase gestartet: %(title)s", title=item.title))
    elif action == "next":
        # A second press of the same button (or another planner) must not skip a phase.
        if request.form.get("current", type=int) != forum.phase_item_id:
            flash(_("Die Phase wurde inzwischen schon gewechselt."), "error")
            return back
        item = phases.advance(forum)
        flash(
            _("Phase gestartet: %(title)s", title=item.title)
            if item
            else _("Alle Phasen sind beendet.")
        )
    elif action == "stop":
        phases.stop(forum)
        flash(_("Phase beendet. Teilnehmende können wieder alles bearbeiten."))
    else:
        flash(_("Unbekannte Aktion."), "error")
    return back


@bp.get("/forums/<slug>/phase")
def phase_timer(slug):
    """Return the forum-wide phase state as JSON for the planner's timer, never cached."""
    response = jsonify(phases.state(forum_or_404(slug)))
    response.headers["Cache-Control"] = "no-store"
    return response
