"""Which groups the signed-in account may moderate."""

from flask import abort
from flask_login import current_user

from forum.extensions import db
from forum.models import Forum, Group


def may_moderate(group: Group) -> bool:
    """Planners moderate every group, moderators only the groups assigned to them."""
    return current_user.is_planner or group.moderator_id == current_user.id


def group_or_403(group_id: int) -> Group:
    """Return the group if the signed-in account may moderate it: 404 if unknown, else 403."""
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    if not may_moderate(group):
        abort(403)
    return group


def own_groups() -> list[Group]:
    """The groups on the account's start page, grouped by forum order."""
    query = db.select(Group).join(Forum).order_by(Forum.position, Group.position)
    if not current_user.is_planner:
        query = query.where(Group.moderator_id == current_user.id)
    return list(db.session.execute(query).scalars())
