"""Create planner and moderator accounts and set their passwords."""

from forum.extensions import db
from forum.models import User


def save_account(username: str, display_name: str, role: str, password: str) -> User:
    """Create an account, or update the name, role and password of an existing one."""
    username = username.strip().lower()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        user = User(username=username)
        db.session.add(user)
    user.display_name = display_name.strip() or username
    user.role = role
    user.set_password(password)
    db.session.commit()
    return user
