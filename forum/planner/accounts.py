"""Planner and moderator accounts, managed by planners."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Group, User
from forum.planner import bp
from forum.planner.forms import AccountForm
from forum.services.accounts import save_account


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """List accounts with their groups; create one or set a new password."""
    form = AccountForm()
    if form.validate_on_submit():
        user = save_account(
            form.username.data, form.display_name.data, form.role.data, form.password.data
        )
        flash(_("Konto %(name)s gespeichert.", name=user.username))
        return redirect(url_for(".accounts"))
    users = db.session.execute(db.select(User).order_by(User.role, User.display_name)).scalars()
    groups = db.session.execute(db.select(Group).where(Group.moderator_id.is_not(None))).scalars()
    by_user: dict[int, list[Group]] = {}
    for group in groups:
        by_user.setdefault(group.moderator_id, []).append(group)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "planner/accounts.html", form=form, users=list(users), groups=by_user
    ), status
