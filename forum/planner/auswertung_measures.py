"""The Auswertung's measures: one list across forums, each with Leitziel, themes and decision."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models import Measure, Theme
from forum.planner import bp
from forum.planner.setup import process_or_404
from forum.services.auswertung import decisions
from forum.services.report import plan_measures
from forum.validators import as_id

REFUSALS = {
    "reason": _l("Bitte geben Sie einen Grund für das Zurückstellen an."),
    "length": _l("Der Grund darf höchstens 2000 Zeichen lang sein."),
    "decision": _l("Bitte „offen“, „übernehmen“ oder „zurückstellen“ wählen."),
    "reference": _l("Dieses Leitziel oder Thema gehört nicht zu diesem Prozess."),
}


def _page(process, status=200, typed=None):
    rows = plan_measures(process, list(process.forums))
    measures = {
        m.id: m
        for m in db.session.execute(
            db.select(Measure).where(Measure.id.in_([row.key for row in rows]))
        ).scalars()
    }
    themes = (
        db.session.execute(
            db.select(Theme)
            .where(Theme.process_id == process.id)
            .order_by(Theme.quadrant, Theme.title)
        )
        .scalars()
        .all()
    )
    return (
        render_template(
            "planner/auswertung_measures.html",
            process=process,
            rows=[(row, measures[row.key]) for row in rows],
            themes=themes,
            typed=typed or {},
        ),
        status,
    )


@bp.get("/processes/<slug>/auswertung/massnahmen")
def auswertung_measures(slug):
    """List every measure of the process once, numbered as in the plan chapter."""
    return _page(process_or_404(slug))


@bp.post("/processes/<slug>/auswertung/massnahmen/<int:measure_id>")
def decide_measure(slug, measure_id):
    """Store a measure's decision, Leitziel and themes."""
    process = process_or_404(slug)
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.group.forum.process_id != process.id:
        abort(404)
    form = request.form
    typed = {
        "decision": form.get("decision", "open"),
        "reason": form.get("reason", ""),
        "goal": form.get("guiding_goal", ""),
        "themes": [theme_id for v in form.getlist("themes") if (theme_id := as_id(v))],
    }
    try:
        decisions.decide(
            process,
            measure,
            decision=typed["decision"],
            reason=typed["reason"],
            goal_id=as_id(typed["goal"]),
            theme_ids=typed["themes"],
            version=form.get("version"),
        )
    except decisions.Conflict:
        db.session.rollback()
        flash(
            _(
                "Jemand anderes hat die Maßnahme „%(title)s“ inzwischen geändert. Unten stehen "
                "der aktuelle Stand und Ihre Eingaben; bitte prüfen und erneut speichern.",
                title=measure.title,
            ),
            "error",
        )
        return _page(process, 409, {measure.id: typed})
    except decisions.Refused as refusal:
        db.session.rollback()
        flash(str(REFUSALS[str(refusal)]), "error")
        return _page(process, 422, {measure.id: typed})
    flash(_("Gespeichert: „%(title)s“.", title=measure.title))
    return redirect(url_for(".auswertung_measures", slug=slug) + f"#massnahme-{measure.id}")
