"""Planner audience: the organising office signs in to set up and watch the forums."""

from flask import Blueprint, abort
from flask_login import current_user

from forum.extensions import login_manager

bp = Blueprint("planner", __name__, url_prefix="/planner")


@bp.before_request
def planners_only():
    """Every planner page except sign-in needs a planner account."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_planner:
        abort(403)
    return None


from forum.planner import (  # noqa: E402,F401  (register the routes)
    accounts,
    auswertung,
    auswertung_measures,
    duplicates,
    exports,
    forum_delete,
    forums,
    phases,
    printables,
    privacy,
    setup,
)
