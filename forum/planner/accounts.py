"""Planner and moderator accounts, managed by planners."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from forum.extensions import db
from forum.models import Group, User
from forum.planner import bp
from forum.planner.forms import AccountDeleteForm, AccountEditForm, AccountForm
from forum.services.accounts import AccountError, delete_account, save_account, update_account


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """List accounts with their groups; create a new one."""
    form = AccountForm()
    if form.validate_on_submit():
        if _account(form.username.data) is not None:
            # Editing is its own page, so a typo here can never replace someone's role or password.
            form.username.errors.append(
                _("Dieses Konto gibt es schon; zum Ändern in der Liste „Bearbeiten“ wählen.")
            )
        else:
            user = save_account(
                form.username.data, form.display_name.data, form.role.data, form.password.data
            )
            flash(_("Konto %(name)s gespeichert.", name=user.username))
            return redirect(url_for(".accounts"))
    users = db.session.execute(db.select(User).order_by(User.role, User.display_name)).scalars()
    status = 422 if form.is_submitted() else 200
    return render_template(
        "planner/accounts.html", form=form, users=list(users), groups=_groups_by_user()
    ), status


@bp.route("/accounts/<int:user_id>/edit", methods=["GET", "POST"])
def edit_account(user_id):
    """Change an account's name, role or password; only what the planner changed."""
    user = db.get_or_404(User, user_id)
    form = AccountEditForm(obj=user) if not _posted() else AccountEditForm()
    problem = None
    if form.validate_on_submit():
        try:
            update_account(
                user, form.display_name.data, form.role.data, form.password.data, current_user
            )
        except AccountError as error:
            problem = str(error)
        else:
            if form.password.data and user.id == current_user.id:
                # A new password ends the account's sessions; this browser stays signed in.
                login_user(user)
            flash(_("Konto %(name)s gespeichert.", name=user.username))
            return redirect(url_for(".accounts"))
    return _edit_page(user, form, AccountDeleteForm(formdata=None), problem)


@bp.route("/accounts/<int:user_id>/delete", methods=["POST"])
def delete_account_view(user_id):
    """Delete an account after the planner confirmed it."""
    user = db.get_or_404(User, user_id)
    form = AccountDeleteForm()
    problem = None
    if form.validate_on_submit():
        name = user.username
        try:
            delete_account(user, current_user)
        except AccountError as error:
            problem = str(error)
        else:
            flash(_("Konto %(name)s gelöscht.", name=name))
            return redirect(url_for(".accounts"))
    return _edit_page(user, AccountEditForm(obj=user, formdata=None), form, problem)


def _edit_page(user, form, delete_form, problem):
    status = 422 if _posted() else 200
    return render_template(
        "planner/account_form.html",
        user=user,
        form=form,
        delete_form=delete_form,
        problem=problem,
        own=user.id == current_user.id,
        groups=_groups_by_user().get(user.id, []),
    ), status


def _posted() -> bool:
    return request.method == "POST"


def _account(username: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def _groups_by_user() -> dict[int, list[Group]]:
    groups = db.session.execute(db.select(Group).where(Group.moderator_id.is_not(None))).scalars()
    by_user: dict[int, list[Group]] = {}
    for group in groups:
        by_user.setdefault(group.moderator_id, []).append(group)
    return by_user
