"""Planner audience: the organising office signs in to set up and watch the forums."""

from flask import Blueprint, abort, request
from flask_login import current_user

from forum.extensions import db, login_manager
from forum.models import User

bp = Blueprint("planner", __name__, url_prefix="/planner")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the signed-in account for Flask-Login."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


login_manager.login_view = "planner.login"
login_manager.login_message = None


@bp.before_request
def planners_only():
    """Every planner page except sign-in needs a planner account."""
    if request.endpoint in ("planner.login", "planner.logout"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_planner:
        abort(403)
    return None


from forum.planner import (  # noqa: E402,F401  (register the routes)
    accounts,
    auth,
    duplicates,
    exports,
    forums,
    printables,
    setup,
)
