"""Sign-in and sign-out for planner and moderator accounts (participants need none)."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from forum.extensions import db, login_manager
from forum.models import User

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the signed-in account for Flask-Login."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Benutzername", validators=[InputRequired()])
    password = PasswordField("Passwort", validators=[InputRequired()])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; a failed attempt is logged without the username."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(User).filter_by(username=form.username.data.strip().lower())
        ).scalar_one_or_none()
        if user and user.check_password(form.password.data):
            tokens = session.get("tokens")
            session.clear()  # a fresh session on sign-in; keep the phone's forum tokens
            if tokens:
                session["tokens"] = tokens
            login_user(user)
            home = "planner.index" if user.is_planner else "moderator.index"
            return redirect(_safe_next() or url_for(home))
        current_app.logger.warning("Failed sign-in from %s", request.remote_addr)
        flash(_("Benutzername oder Passwort stimmt nicht."), "error")
    return render_template("auth/login.html", form=form)


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


@bp.post("/logout")
def logout():
    """Sign out and end the session."""
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."))
    return redirect(url_for(".login"))
