"""The Auswertungsveranstaltung on the phone: the process's adopted measures and the dots on them.

Phones join an evaluation forum by QR code as usual and keep their group and room for the
table discussions; their board is the process's result: the adopted measures by Leitziel with
their plan numbers, where each participant places the event's dots.
"""

import secrets

from flask import abort, g, redirect, render_template, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Measure
from forum.participant import bp
from forum.participant.access import participant_required
from forum.participant.measures import place_dot
from forum.services import event, phases, voting


@bp.get("/<code>/auswertung")
@participant_required
def event_board(code):
    """List the adopted measures by Leitziel, each with a button for a dot (no JavaScript needed)."""
    if not event.is_event(g.forum):
        return redirect(url_for(".board", code=code))
    mine = voting.dots_by_measure(g.participant)
    return render_template(
        "participant/event.html",
        forum=g.forum,
        group=g.participant.group,
        sections=event.adopted_by_goal(g.forum.process, g.forum),
        mine=mine,
        dots_left=max(0, g.forum.dots_per_participant - sum(mine.values())),
        max_per_measure=g.forum.max_dots_per_measure,
        may_vote=phases.may_vote(g.forum),
        code=code,
        key=secrets.token_urlsafe(16),
    )


def _event_measure(measure_id: int) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if not event.is_event(g.forum) or measure is None:
        abort(404)
    return measure


@bp.post("/<code>/auswertung/<int:measure_id>/vote")
@participant_required
def event_vote(code, measure_id):
    """Place one of the event's dots on an adopted measure."""
    measure = _event_measure(measure_id)
    place_dot(measure, _("Punkte können gerade nicht vergeben werden."))
    return redirect(url_for(".event_board", code=code, _anchor=f"m-{measure.id}"))


@bp.post("/<code>/auswertung/<int:measure_id>/unvote")
@participant_required
def event_unvote(code, measure_id):
    """Take one of the event's dots back."""
    measure = _event_measure(measure_id)
    voting.unvote(g.participant, measure)
    return redirect(url_for(".event_board", code=code, _anchor=f"m-{measure.id}"))
