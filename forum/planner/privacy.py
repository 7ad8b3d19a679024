"""Personal data of a forum for planners: the participant list and the purge after the event."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from forum.planner import bp
from forum.planner.forums import forum_or_404
from forum.services import purge


@bp.get("/forums/<slug>/participants")
def participants(slug):
    """List who joined, with the optional names and organisations while they are stored."""
    forum = forum_or_404(slug)
    return render_template(
        "planner/participants.html",
        forum=forum,
        people=purge.participant_list(forum),
        privacy=purge.privacy_status(forum),
    )


@bp.get("/forums/<slug>/purge")
def confirm_purge(slug):
    """Say what a purge deletes and what it keeps, and ask to confirm."""
    forum = forum_or_404(slug)
    return render_template("planner/purge.html", forum=forum, privacy=purge.privacy_status(forum))


@bp.post("/forums/<slug>/purge")
def purge_personal_data(slug):
    """Delete the forum's participants' personal data; cards, measures and dots stay."""
    count = purge.purge_forum(forum_or_404(slug))
    flash(
        _("Personenbezogene Daten von %(count)d Teilnehmenden gelöscht.", count=count)
        if count
        else _("Es waren keine personenbezogenen Daten mehr gespeichert.")
    )
    return redirect(url_for(".forum", slug=slug, _anchor="privacy-heading"))
