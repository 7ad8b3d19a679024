"""Participants propose goals and measures and place their dots on the group's measures."""

import re
import secrets

from flask import (
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from forum.extensions import db
from forum.live import answer, item, live_response
from forum.models import Measure
from forum.participant import bp
from forum.participant.access import participant_required
from forum.participant.forms import ProposalForm, VoteForm
from forum.services import changes, moderation, phases, voting
from forum.validators import as_id


def _list_html(code: str, refusals: dict[int, list[str]] | None = None) -> str:
    return render_template("participant/_measures.html", **_list_context(code, refusals))


def _list_context(code: str, refusals: dict[int, list[str]] | None = None) -> dict:
    """What the measure list and each measure's buttons need to render."""
    participant = g.participant
    mine = voting.dots_by_measure(participant)
    return {
        "ranking": voting.ranking(participant.group_id),
        "mine": mine,
        "dots_left": max(0, g.forum.dots_per_participant - sum(mine.values())),
        "max_per_measure": g.forum.max_dots_per_measure,
        "may_vote": phases.may_vote(g.forum),
        "code": code,
        "key": secrets.token_urlsafe(16),
        "refusals": refusals or {},
    }


def _refusals() -> dict[int, list[str]]:
    """The refused dots' messages by measure (flashed as "measure-<id>"), for beside each."""
    found: dict[int, list[str]] = {}
    for category, message in get_flashed_messages(with_categories=True):
        if category.startswith("measure-") and (measure_id := as_id(category[8:])):
            found.setdefault(measure_id, []).append(message)
    return found


def _render(code: str, form: ProposalForm, status: int = 200):
    return render_template(
        "participant/measures.html",
        forum=g.forum,
        group=g.participant.group,
        form=form,
        may_propose=phases.may_propose_measures(g.forum),
        measures_html=_list_html(code, _refusals()),
        etag=_measures_etag(),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    ), status


@bp.get("/<code>/measures")
@participant_required
def measures(code):
    """Show the group's measures with dots, and a form to propose one."""
    return _render(code, ProposalForm(formdata=None, client_key=secrets.token_urlsafe(16)))


@bp.post("/<code>/measures")
@participant_required
def propose(code):
    """Store a proposed goal and measure once; bad input keeps the text."""
    form = ProposalForm()
    if not phases.may_propose_measures(g.forum):
        form.title.errors = [_("Maßnahmen werden erst nach der 4-Feldermatrix gesammelt.")]
        return _render(code, form, status=409)
    if not form.validate():
        return _render(code, form, status=422)
    moderation.add_measure(
        g.participant.group_id,
        form.goal.data,
        form.title.data,
        form.client_key.data,
        participant=g.participant,
    )
    flash(_("Maßnahme gespeichert."))
    return redirect(url_for(".measures", code=code))


def _group_measure(measure_id: int) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.group_id != g.participant.group_id or not measure.visible:
        abort(404)
    return measure


@bp.post("/<code>/measures/<int:measure_id>/vote")
@participant_required
def vote(code, measure_id):
    """Place one dot on a measure."""
    measure = _group_measure(measure_id)
    place_dot(
        measure,
        _("Punkte werden erst nach der 4-Feldermatrix vergeben."),
        where=f"measure-{measure.id}",
    )
    return redirect(url_for(".measures", code=code, _anchor=f"m-{measure.id}"))


def place_dot(measure: Measure, closed: str, where: str = "error") -> None:
    """Place the phone's dot from the posted form, or say why not (`closed`: the phase's word).

    A refusal is flashed in the category `where`: the page shows it there.
    """
    form = VoteForm()
    if not form.validate():
        # The page always sends a key as secrets.token_urlsafe makes it; anything else is forged.
        abort(400)
    if not phases.may_vote(g.forum):
        flash(closed, where)
        return
    try:
        voting.vote(g.participant, measure, form.client_key.data)
    except voting.VoteRefused as refused:
        flash(str(refused), where)


@bp.post("/<code>/measures/<int:measure_id>/unvote")
@participant_required
def unvote(code, measure_id):
    """Take one dot back."""
    measure = _group_measure(measure_id)
    voting.unvote(g.participant, measure)
    return redirect(url_for(".measures", code=code, _anchor=f"m-{measure.id}"))


def _measures_etag() -> str:
    """This phone's version of the list: the group's changes, the phase, its own dot state."""
    group = g.participant.group
    return f"m-g{group.id}v{changes.version(group.id)}p{g.participant.id}{_page_state()}"


def _page_state() -> str:
    """What every measure's buttons depend on: the phase, the limits, whether dots are left."""
    forum = g.forum
    spent = int(voting.dots_used(g.participant) >= forum.dots_per_participant)
    limits = f"d{forum.dots_per_participant}m{forum.max_dots_per_measure}s{spent}"
    return phases.group_tag(forum, g.participant.group) + limits


# A measures ETag as _measures_etag spells it: group, version, participant, page state.
_MEASURES_ETAG = re.compile(r"m-g(\d+)v(\d+\.\d+)p(\d+)(f\S*)")


def _held_version() -> str | None:
    """The version this phone holds, if its buttons still look as they should now (else None)."""
    for tag in request.if_none_match.as_set():
        found = _MEASURES_ETAG.fullmatch(tag)
        if (
            found
            and int(found[1]) == g.participant.group_id
            and int(found[3]) == g.participant.id
            and found[4] == _page_state()
        ):
            return found[2]
    return None


def _measures_answer(code: str) -> dict:
    """Answer a phone behind the current version: the measures changed since, or the list."""
    held = _held_version()
    changed = changes.since(g.participant.group_id, held, "measure") if held else None
    context = _list_context(code)
    timer = phases.state(g.forum, g.participant.group)
    regions = {"dots-left": render_template("participant/_dots_left.html", **context)}
    if changed is None:
        regions["measure-items"] = render_template("participant/_measure_items.html", **context)
        return answer(regions=regions, timer=timer)
    ranking = context["ranking"]
    # A measure merged into another changes the dots shown on the one it joined.
    changed |= {m.id for m, _dots in ranking if any(c.id in changed for c in m.merged)}
    shown = {measure.id: dots for measure, dots in ranking}
    items = [
        item(
            f"m-{measure.id}",
            "measure-items",
            render_template("participant/_measure.html", measure=measure, dots=dots, **context),
        )
        for measure, dots in ranking
        if measure.id in changed
    ]
    remove = [f"m-{measure_id}" for measure_id in sorted(changed - shown.keys())]
    # The "no measures yet" line comes and goes with the list's last measure.
    if ranking:
        remove.append("no-measures")
    else:
        items.append(
            item("no-measures", "measure-items", render_template("participant/_no_measures.html"))
        )
    return answer(regions=regions, items=items, remove=remove, timer=timer)


@bp.get("/<code>/measures/live")
@participant_required
def measures_live(code):
    """Return what changed on the measure list, with the timer; 304 while nothing did."""
    # The version is read before the measures: an answer may repeat a change, never miss one.
    return live_response(_measures_etag(), lambda: _measures_answer(code))
