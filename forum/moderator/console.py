"""The moderator console: the group's cards live, fast typing of paper cards, tidying."""

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
from forum.live import regions_response
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


def _regions(group) -> dict[str, str]:
    quadrants = cards.board(group.id, with_hidden=True)
    regions = {
        f"mod-cards-{quadrant}": render_template("moderator/_cards.html", cards=items, group=group)
        for quadrant, items in quadrants.items()
    }
    regions["mod-measures"] = render_template(
        "moderator/_measures.html", ranking=voting.ranking(group.id), group=group
    )
    return regions


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
        regions=_regions(group),
        etag=_console_etag(group),
        poll_ms=int(current_app.config["BOARD_POLL_SECONDS"] * 1000),
    ), status


def _console_etag(group) -> str:
    return f"mod-g{group.id}v{changes.version(group.id)}{phases.group_tag(group.forum, group)}"


@bp.get("/groups/<int:group_id>/live")
def console_live(group_id):
    """Return the console's card lists and measures; 304 while the group is unchanged."""
    group = group_or_403(group_id)
    return regions_response(_console_etag(group), lambda: _regions(group))


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
