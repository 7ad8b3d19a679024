"""Moderator audience: the Ansprechpartner of a group runs its console and projector view.

Moderators see and change only their own groups; planners may act as moderator of any group.
"""

from flask import Blueprint
from flask_login import current_user

from forum.extensions import login_manager

bp = Blueprint("moderator", __name__, url_prefix="/moderation")


@bp.before_request
def signed_in_staff_only():
    """Every moderator page needs a planner or moderator account."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


from forum.moderator import (  # noqa: E402,F401  (register the routes)
    console,
    event_projector,
    measures,
    phases,
    projector,
)
