"""The Auswertung workspace: suggested themes of all cards, curated by planners."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Card, Theme
from forum.planner import bp
from forum.planner.setup import process_or_404
from forum.services.auswertung import workspace
from forum.validators import as_id


def _page(process, status=200, typed=None):
    return (
        render_template(
            "planner/auswertung.html",
            process=process,
            quadrants=workspace.workspace(process),
            typed=typed or {},
        ),
        status,
    )


def _theme(process, theme_id) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.process_id != process.id:
        abort(404)
    return theme


def _back(slug, anchor=""):
    return redirect(url_for(".auswertung", slug=slug) + (f"#{anchor}" if anchor else ""))


def _conflict(title: str) -> None:
    flash(
        _(
            "Jemand anderes hat das Thema „%(title)s“ inzwischen geändert. Bitte prüfen Sie den "
            "aktuellen Stand und wiederholen Sie Ihre Änderung.",
            title=title,
        ),
        "error",
    )


def _versions() -> dict[int, str]:
    return {
        as_id(name[8:]): value
        for name, value in request.form.items()
        if name.startswith("version-") and as_id(name[8:])
    }


@bp.get("/processes/<slug>/auswertung")
def auswertung(slug):
    """Show the consolidated SWOT: themes per quadrant, single cards, the curation forms."""
    return _page(process_or_404(slug))


@bp.post("/processes/<slug>/auswertung/vorschlagen")
def suggest_themes(slug):
    """Suggest themes for every card no planner has placed yet."""
    process = process_or_404(slug)
    count = workspace.suggest(process)
    flash(_("Themen vorgeschlagen. Von Ihnen zugeordnete Karten bleiben, wo sie sind."))
    flash(_("%(count)d Themen insgesamt.", count=count))
    return _back(slug)


@bp.post("/processes/<slug>/auswertung/themen/<int:theme_id>/titel")
def rename_theme(slug, theme_id):
    """Give a theme the planner's title."""
    process = process_or_404(slug)
    theme = _theme(process, theme_id)
    typed = request.form.get("title", "")
    try:
        workspace.rename(theme, typed, request.form.get("version", ""))
    except workspace.Conflict:
        db.session.rollback()
        _conflict(theme.title)
        return _page(process, 409, {theme.id: typed})
    except ValueError:
        flash(_("Bitte einen Titel mit höchstens 300 Zeichen eingeben."), "error")
        return _page(process, 422, {theme.id: typed})
    flash(_("Titel gespeichert: „%(title)s“.", title=theme.title))
    return _back(slug, f"thema-{theme.id}")


@bp.post("/processes/<slug>/auswertung/themen/<int:theme_id>/fachplan")
def mark_theme(slug, theme_id):
    """Mark a theme for the plan chapter, or take the mark back."""
    process = process_or_404(slug)
    theme = _theme(process, theme_id)
    try:
        workspace.mark(theme, request.form.get("for_plan") == "1", request.form.get("version"))
    except workspace.Conflict:
        db.session.rollback()
        _conflict(theme.title)
    return _back(slug, f"thema-{theme.id}")


@bp.post("/processes/<slug>/auswertung/themen/<int:theme_id>/zusammenfuehren")
def merge_themes(slug, theme_id):
    """Fold another theme of the same quadrant into this one."""
    process = process_or_404(slug)
    keep = _theme(process, theme_id)
    value = request.form.get("other", "")
    other = _theme(process, as_id(value)) if as_id(value) else None
    if other is None or other.id == keep.id or other.quadrant != keep.quadrant:
        flash(_("Bitte ein anderes Thema desselben Feldes wählen."), "error")
        return _back(slug, f"thema-{keep.id}")
    try:
        workspace.merge(keep, other, _versions())
    except workspace.Conflict as conflict:
        db.session.rollback()
        _conflict(str(conflict))
    else:
        flash(_("Zusammengeführt in „%(title)s“.", title=keep.title))
    return _back(slug, f"thema-{keep.id}")


@bp.post("/processes/<slug>/auswertung/karten")
def move_cards(slug):
    """Move the chosen cards into a theme, into a new theme, or on their own."""
    process = process_or_404(slug)
    ids = [card_id for v in request.form.getlist("card") if (card_id := as_id(v))]
    cards = [db.session.get(Card, card_id) for card_id in ids]
    cards = [c for c in cards if c is not None and c.group.forum.process_id == process.id]
    target_value = request.form.get("target", "")
    if not cards:
        flash(_("Bitte mindestens eine Karte ankreuzen."), "error")
        return _back(slug)
    target = {"new": "new", "single": None}.get(target_value)
    if as_id(target_value):
        target = _theme(process, as_id(target_value))
    elif target_value not in ("new", "single"):
        flash(_("Bitte ein Ziel wählen."), "error")
        return _back(slug)
    try:
        placed = workspace.move_cards(process, cards, target, _versions())
    except workspace.Conflict as conflict:
        db.session.rollback()
        _conflict(str(conflict))
        return _back(slug)
    except ValueError:
        db.session.rollback()
        flash(_("Karten lassen sich nur innerhalb ihres Feldes verschieben."), "error")
        return _back(slug)
    flash(_("%(count)d Karten verschoben.", count=len(cards)))
    return _back(slug, f"thema-{placed.id}" if placed is not None else "")
