"""Join page behind the QR code, and the card that tells a phone its group."""

from flask import g, make_response, redirect, render_template, url_for

from forum.participant import bp
from forum.participant.access import participant_required, remember, session_token, unavailable
from forum.participant.forms import JoinForm
from forum.services import joining


@bp.route("/<code>", methods=["GET", "POST"])
def join(code):
    """Show the join form; on submit assign a group and show it."""
    forum = joining.forum_by_code(code, open_only=True)
    if forum is None:
        return unavailable()
    if joining.participant_by_token(forum, session_token(forum.id)):
        return redirect(url_for(".group", code=code))
    form = JoinForm()
    if not form.is_submitted():
        form.token.data = joining.new_token()
    if form.validate_on_submit():
        try:
            joining.join(
                forum, form.token.data, form.org_type.data, form.name.data, form.organisation.data
            )
        except joining.ForumFull:
            return render_template("participant/join.html", forum=forum, form=form, full=True), 409
        except joining.TokenElsewhere:
            # A form copied from another forum's page: offer it again with a token of its own.
            form.token.data = joining.new_token()
            form.token.errors.append("used in another forum")
        else:
            remember(forum.id, form.token.data)
            return redirect(url_for(".group", code=code))
    status = 422 if form.is_submitted() else 200
    response = make_response(
        render_template("participant/join.html", forum=forum, form=form), status
    )
    # The form carries this phone's new token; no cache may keep or share it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<code>/group")
@participant_required
def group(code):
    """Tell the phone its group, colour, room and moderator."""
    return render_template("participant/group.html", forum=g.forum, participant=g.participant)
