"""Likely duplicate measures across groups and forums, for planners to merge before the export."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Measure
from forum.planner import bp
from forum.planner.setup import process_or_404
from forum.services import duplicates
from forum.services.report import heading
from forum.validators import as_id


def _measure(form_key: str, process) -> Measure:
    value = request.form.get(form_key, "")
    measure_id = as_id(value)
    measure = db.session.get(Measure, measure_id) if measure_id else None
    if measure is None or measure.group.forum.process_id != process.id:
        abort(404)
    return measure


@bp.get("/processes/<slug>/duplicates")
def duplicate_measures(slug):
    """List likely duplicates and the measures merged so far."""
    process = process_or_404(slug)
    measures = duplicates.candidates(list(process.forums))
    merged = [m for m in measures if m.merged]
    return render_template(
        "planner/duplicates.html",
        process=process,
        pairs=duplicates.likely_duplicates(measures),
        merged=merged,
        origins=duplicates.origins,
        heading=heading,
    )


@bp.post("/processes/<slug>/duplicates/merge")
def merge_measures(slug):
    """Merge the second measure of a pair into the first."""
    process = process_or_404(slug)
    keep, other = _measure("keep", process), _measure("other", process)
    try:
        duplicates.merge(keep, other)
    except ValueError:
        flash(_("Diese Maßnahmen lassen sich nicht zusammenführen."), "error")
    else:
        flash(_("Zusammengeführt: „%(title)s“.", title=keep.title))
    return redirect(url_for(".duplicate_measures", slug=slug))


@bp.post("/processes/<slug>/duplicates/split")
def split_measure(slug):
    """Undo a merge."""
    process = process_or_404(slug)
    duplicates.split(_measure("measure", process))
    flash(_("Zusammenführung aufgehoben."))
    return redirect(url_for(".duplicate_measures", slug=slug))
