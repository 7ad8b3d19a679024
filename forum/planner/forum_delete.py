"""Delete a forum that was set up by mistake, after a confirmation that names it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.planner import bp
from forum.planner.forums import forum_or_404
from forum.services import forum_setup


def forum_name(forum) -> str:
    """Name a forum as the overview lists it: '2. Themenforum: Arbeit und Ausbildung'."""
    if forum.number:
        return _("%(number)s. Themenforum", number=forum.number) + ": " + forum.title
    return forum.title


@bp.route("/forums/<slug>/delete", methods=["GET", "POST"])
def delete_forum(slug):
    """Ask, then delete a forum without participants, cards or measures; refuse one with them."""
    forum = forum_or_404(slug)
    blocked = forum_setup.has_results(forum)
    name = forum_name(forum)
    if request.method == "POST" and not blocked:
        forum_setup.delete_forum(forum)
        flash(_("„%(name)s“ gelöscht.", name=name))
        return redirect(url_for(".index"))
    status = 409 if blocked and request.method == "POST" else 200
    return render_template(
        "planner/forum_delete.html", forum=forum, name=name, blocked=blocked
    ), status
