"""Sign-in and sign-out for planner and moderator accounts (participants need none)."""

import secrets
from functools import cache

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from forum.extensions import db, login_manager
from forum.form_base import RequestForm
from forum.models import User

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.unauthorized_handler
def unauthorized():
    """Phones that joined a forum get 403 on staff pages; other browsers are asked to sign in."""
    if session.get("tokens"):
        return render_template("error.html", status=403, sign_in=True), 403
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Load the signed-in account, unless it signed out (or changed password) since."""
    account_id, _, version = identity.partition(".")
    if not (account_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(account_id))
    return user if user and user.session_version == int(version) else None


class LoginForm(RequestForm):
    """Username and password."""

    username = StringField(_l("Benutzername"), validators=[InputRequired()])
    password = PasswordField(_l("Passwort"), validators=[InputRequired()])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; a failed attempt is logged without the username."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(User).filter_by(username=form.username.data.strip().lower())
        ).scalar_one_or_none()
        if _password_matches(user, form.password.data):
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


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password; an unknown account costs the same hashing, so time names no user."""
    if user is None or not user.password_hash:
        check_password_hash(_stand_in_hash(), password)
        return False
    return user.check_password(password)


@cache
def _stand_in_hash() -> str:
    # Made once per process, by the same method and cost as every account's password.
    return generate_password_hash(secrets.token_urlsafe(32))


def _safe_next() -> str | None:
    """Return the page asked for after sign-in if it is a path on this host, else None."""
    target = _as_browsers_read(request.args.get("next", ""))
    return target if target.startswith("/") and not target.startswith("//") else None


# What a browser drops before it parses a URL (WHATWG URL standard): C0 controls and spaces at
# either end, tabs and line breaks anywhere; in an http(s) URL it reads a backslash as a slash.
_ENDS = "".join(map(chr, range(0x21)))
_INVISIBLE = str.maketrans({"\t": None, "\n": None, "\r": None, "\\": "/"})


def _as_browsers_read(url: str) -> str:
    """Return the URL as a browser reads it: `/<tab>/host` is the `//host` it means."""
    return url.strip(_ENDS).translate(_INVISIBLE)


@bp.post("/logout")
def logout():
    """Sign out and end the session, including any copy of its cookie."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."))
    return redirect(url_for(".login"))
