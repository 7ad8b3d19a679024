"""Measure planning in the console: the moderator completes owner, method, horizon, indicator."""

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from forum.extensions import db
from forum.models import Measure
from forum.moderator import bp
from forum.moderator.access import group_or_403
from forum.moderator.console import render_console
from forum.moderator.forms import MeasureForm
from forum.services import cards, moderation
from forum.validators import as_id


def _measure(group, measure_id) -> Measure:
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.group_id != group.id:
        abort(404)
    return measure


def _goal_choices(form: MeasureForm, group) -> None:
    goals = group.forum.process.guiding_goals
    form.guiding_goal.choices = [SelectChoice(0, _("– noch keinem zugeordnet –"))] + [
        SelectChoice(
            goal.id,
            _("Leitziel %(number)d: %(text)s", number=goal.position, text=goal.text[:90] + "…"),
        )
        for goal in goals
    ]


@bp.post("/groups/<int:group_id>/measures")
def add_measure(group_id):
    """Write down a goal and measure the group named; complete it on the next page."""
    group = group_or_403(group_id)
    form = MeasureForm()
    _goal_choices(form, group)
    fields = (form.title, form.goal, form.client_key)
    valid = [field.validate(form) for field in fields]  # each field gets its own message
    if not form.client_key.data or not all(valid):
        if form.client_key.errors or not form.client_key.data:
            form.client_key.data = secrets.token_urlsafe(16)
        # The typed text comes back with the messages; a redirect would lose it.
        return render_console(group, status=422, measure_form=form)
    measure = moderation.add_measure(
        group.id, form.goal.data or "", form.title.data, form.client_key.data
    )
    return redirect(url_for(".edit_measure", group_id=group.id, measure_id=measure.id))


@bp.route("/groups/<int:group_id>/measures/<int:measure_id>/edit", methods=["GET", "POST"])
def edit_measure(group_id, measure_id):
    """Complete a measure and link it to the cards it answers and to a Leitziel."""
    group = group_or_403(group_id)
    measure = _measure(group, measure_id)
    if request.method == "GET":
        form = MeasureForm(obj=measure, guiding_goal=measure.guiding_goal_id or 0)
    else:
        form = MeasureForm()
    _goal_choices(form, group)
    linked = {card.id for card in measure.cards}
    conflict = False
    if form.validate_on_submit():
        card_ids = [card_id for v in request.form.getlist("cards") if (card_id := as_id(v))]
        if not moderation.all_in_group(group.id, card_ids):
            abort(403)  # an id edited in the form: another group's card
        try:
            moderation.edit_measure(
                measure, form.version.data, form.data, card_ids, form.guiding_goal.data
            )
        except cards.StaleEdit:
            conflict, form.version.data = True, measure.version
            db.session.refresh(measure)
        else:
            flash(_("Maßnahme gespeichert."))
            return redirect(url_for(".console", group_id=group.id, _anchor=f"measure-{measure.id}"))
        linked = set(card_ids)
    status = 409 if conflict else (422 if form.is_submitted() else 200)
    return render_template(
        "moderator/edit_measure.html",
        form=form,
        measure=measure,
        group=group,
        quadrants=cards.board(group.id),
        linked=linked,
        conflict=conflict,
    ), status


@bp.post("/groups/<int:group_id>/measures/<int:measure_id>/hide")
def hide_measure(group_id, measure_id):
    """Hide a measure from phones and exports, or show it again."""
    group = group_or_403(group_id)
    moderation.set_measure_hidden(_measure(group, measure_id), request.form.get("hidden") == "1")
    return redirect(url_for(".console", group_id=group.id, _anchor="measures"))
