"""The moderator console: the group's cards live, fast typing of paper cards, tidying."""

import re
import secrets

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.extensions import db
from forum.live import answer, item, live_response
from forum.models import QUADRANTS, Card
from forum.moderator import bp
from forum.moderator.access import group_or_403, own_groups
from forum.moderator.forms import CardEditForm, MeasureForm, QuickCardForm
from forum.services import cards, changes, moderation, phases, voting
from forum.validators import as_id


@bp.get("/")
def index():
    """List the groups this account moderates (planners: all)."""
    return render_template("moderator/index.html", groups=own_groups())


def _quick_form(quadrant: str | None = None) -> QuickCardForm:
    form = QuickCardForm(formdata=None, client_key=secrets.token_urlsafe(16))
    form.quadrant.data = quadrant if quadrant in QUADRANTS else "strength"
    return form


def _card_lists(group) -> dict[str, str]:
    """Render the four quadrants' card lists whole, hidden cards included."""
    return {
        f"mod-cards-{quadrant}": render_template(
            "moderator/_cards.html", cards=items, quadrant=quadrant, group=group
        )
        for quadrant, items in cards.board(group.id, with_hidden=True).items()
    }


def _measures_html(group) -> str:
    return render_template(
        "moderator/_measures.html", ranking=voting.ranking(group.id), group=group
    )


def _full_answer(group) -> dict:
    """The console's whole live content: every card list and every measure row."""
    ranking = voting.ranking(group.id)
    regions = _card_lists(group) | {
        "mod-measure-rows": "".join(_measure_row(group, *pair) for pair in ranking),
        "mod-measures-note": _measures_note(ranking),
    }
    return answer(regions=regions, timer=phases.state(group.forum, group))


def _console_answer(group) -> dict:
    """Answer a console behind the current version: what changed since its version, or all."""
    held = _held_version(group)
    changed_cards = changes.since(group.id, held, "card") if held else None
    changed_measures = changes.since(group.id, held, "measure") if held else None
    if changed_cards is None or changed_measures is None:
        return _full_answer(group)
    items, remove = _card_deltas(group, changed_cards)
    regions = {}
    if changed_measures:
        ranking = voting.ranking(group.id)
        # A measure merged into another changes the dots shown on the one it joined.
        changed_measures |= {
            measure.id
            for measure, _dots in ranking
            if any(child.id in changed_measures for child in measure.merged)
        }
        shown = {measure.id: (measure, dots) for measure, dots in ranking}
        for measure_id in sorted(changed_measures):
            if measure_id in shown:
                html = _measure_row(group, *shown[measure_id])
                items.append(item(f"measure-{measure_id}", "mod-measure-rows", html))
            else:
                remove.append(f"measure-{measure_id}")
        regions["mod-measures-note"] = _measures_note(ranking)
    timer = phases.state(group.forum, group)
    return answer(regions=regions, items=items, remove=remove, timer=timer)


def _card_deltas(group, changed: set[int]) -> tuple[list[dict], list[str]]:
    """The changed cards as items of their quadrant's list, or to remove (merged, deleted)."""
    if not changed:
        return [], []
    shown = cards.shown_among(group.id, changed, with_hidden=True)
    items = [
        item(
            f"mod-card-{card.id}",
            f"mod-cards-{card.quadrant}",
            render_template("moderator/_card.html", card=card, group=group),
        )
        for card in shown
    ]
    remove = [f"mod-card-{card_id}" for card_id in sorted(changed - {c.id for c in shown})]
    # The "no cards yet" line comes and goes with a quadrant's last card.
    for quadrant, count in cards.shown_counts(group.id, with_hidden=True).items():
        if count:
            remove.append(f"mod-no-cards-{quadrant}")
        else:
            html = render_template("moderator/_no_cards.html", quadrant=quadrant)
            items.append(item(f"mod-no-cards-{quadrant}", f"mod-cards-{quadrant}", html))
    return items, remove


def _measure_row(group, measure, dots) -> str:
    return render_template("moderator/_measure_row.html", measure=measure, dots=dots, group=group)


def _measures_note(ranking) -> str:
    return render_template("moderator/_measures_note.html", ranking=ranking)


# A console ETag as _console_etag spells it: group, version, then the phase's tag.
_CONSOLE_ETAG = re.compile(r"mod-g(\d+)v(\d+\.\d+)f\S*")


def _held_version(group) -> str | None:
    """Read the version the console holds from its If-None-Match; None if it holds none."""
    for tag in request.if_none_match.as_set():
        found = _CONSOLE_ETAG.fullmatch(tag)
        if found and int(found[1]) == group.id:
            return found[2]
    return None


@bp.get("/groups/<int:group_id>")
def console(group_id):
    """Show the console: fast entry, the four quadrants, the measures."""
    group = group_or_403(group_id)
    return render_console(group)


def render_console(group, quick=None, status=200, measure_form=None):
    """Render the console, with a refused card or measure form as it was typed."""
    quick = quick or _quick_form(request.args.get("q"))
    measure_form = measure_form or MeasureForm(formdata=None, client_key=secrets.token_urlsafe(16))
    return render_template(
        "moderator/console.html",
        group=group,
        forum=group.forum,
        quick=quick,
        measure_form=measure_form,
        card_lists=_card_lists(group),
        measures_html=_measures_html(group),
        etag=_console_etag(group),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    ), status


def _console_etag(group) -> str:
    return f"mod-g{group.id}v{changes.version(group.id)}{phases.group_tag(group.forum, group)}"


@bp.get("/groups/<int:group_id>/live")
def console_live(group_id):
    """Return what changed on the console since its version, with the timer; 304 if nothing."""
    group = group_or_403(group_id)
    # The version is read before the cards: an answer may repeat a change, never miss one.
    return live_response(_console_etag(group), lambda: _console_answer(group))


@bp.post("/groups/<int:group_id>/cards")
def quick_card(group_id):
    """Store a card typed in from paper; keep the quadrant for the next one.

    console.js sends the form without leaving the page and asks for JSON; a plain form post
    is sent back to the console, where the text field has the focus again.
    """
    group = group_or_403(group_id)
    form = QuickCardForm()
    if not form.validate():
        if request.wants_json:
            return jsonify(errors=form.errors, text=form.text.data or ""), 422
        return render_console(group, form, status=422)
    card = cards.store_card(
        group.id, form.quadrant.data, form.text.data, form.client_key.data, author=current_user
    )
    if request.wants_json:
        return jsonify(ok=True, card_id=card.id)
    # No #fragment: a page opened at a fragment skips autofocus, and the cursor must be back in
    # the text field (the field sits near the top, so the page opens there anyway).
    return redirect(url_for(".console", group_id=group.id, q=form.quadrant.data))


def _card(group, card_id) -> Card:
    card = db.session.get(Card, card_id)
    if card is None or card.group_id != group.id:
        abort(404)
    return card


@bp.route("/groups/<int:group_id>/cards/<int:card_id>/edit", methods=["GET", "POST"])
def edit_card(group_id, card_id):
    """Edit a card's text or quadrant; an edit made meanwhile by someone else is not overwritten."""
    group = group_or_403(group_id)
    card = _card(group, card_id)
    form = CardEditForm(obj=card) if request.method == "GET" else CardEditForm()
    conflict = False
    if form.validate_on_submit():
        try:
            cards.edit_card(card, form.text.data, form.quadrant.data, form.version.data)
        except cards.StaleEdit:
            conflict, form.version.data = True, card.version
        else:
            flash(_("Karte gespeichert."))
            return redirect(url_for(".console", group_id=group.id, _anchor=f"mod-card-{card.id}"))
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template(
        "moderator/edit_card.html", form=form, card=card, group=group, conflict=conflict
    ), status


@bp.post("/groups/<int:group_id>/cards/<int:card_id>/move")
def move_card(group_id, card_id):
    """Put a card into another quadrant."""
    group = group_or_403(group_id)
    quadrant = request.form.get("quadrant", "")
    if quadrant not in QUADRANTS:
        abort(400)
    moderation.move_card(_card(group, card_id), quadrant)
    return redirect(url_for(".console", group_id=group.id, _anchor=f"mod-card-{card_id}"))


@bp.post("/groups/<int:group_id>/cards/<int:card_id>/hide")
def hide_card(group_id, card_id):
    """Hide a card from phones, projector and exports, or show it again."""
    group = group_or_403(group_id)
    moderation.set_hidden(_card(group, card_id), request.form.get("hidden") == "1")
    return redirect(url_for(".console", group_id=group.id, _anchor=f"mod-card-{card_id}"))


@bp.post("/groups/<int:group_id>/cards/merge")
def merge_cards(group_id):
    """Merge the ticked duplicates into the first of them."""
    group = group_or_403(group_id)
    ids = sorted({card_id for value in request.form.getlist("card") if (card_id := as_id(value))})
    if len(ids) < 2:
        flash(_("Zum Zusammenführen mindestens zwei Karten ankreuzen."), "error")
        return redirect(url_for(".console", group_id=group.id))
    chosen = [_card(group, card_id) for card_id in ids]
    if any(not card.visible for card in chosen):
        abort(409)
    kept = moderation.merge_cards(chosen)
    flash(ngettext("%(num)d Karte zusammengeführt.", "%(num)d Karten zusammengeführt.", len(ids)))
    return redirect(url_for(".console", group_id=group.id, _anchor=f"mod-card-{kept.id}"))
