"""Create planner and moderator accounts, set their passwords, edit and delete them."""

from forum.extensions import db
from forum.models import Card, Group, User

# German on the command line, the reader's language in the console.
from forum.services.seeding import N_, localised


class AccountError(Exception):
    """A change to an account that is refused; the message says why, nothing was changed."""


def save_account(username: str, display_name: str, role: str, password: str) -> User:
    """Create an account, or update the name, role and password of an existing one."""
    username = username.strip().lower()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        user = User(username=username)
        db.session.add(user)
    else:
        keep_a_planner(user, role)
    user.display_name = display_name.strip() or username
    user.role = role
    user.set_password(password)
    db.session.commit()
    return user


def update_account(
    user: User, display_name: str, role: str, password: str | None, acting: User | None = None
) -> User:
    """Change what differs: name, role, and the password only when a new one is given."""
    if role != user.role:
        if _same(user, acting):
            raise AccountError(
                localised(N_("Die eigene Rolle kann nur eine andere Person mit Planung ändern."))
            )
        keep_a_planner(user, role)
    user.display_name = display_name.strip() or user.username
    user.role = role
    if password:
        user.set_password(password)  # a new password ends the account's other sessions
    db.session.commit()
    return user


def delete_account(user: User, acting: User | None = None) -> None:
    """Delete an account; its groups lose their moderator, its paper cards stay without author."""
    if _same(user, acting):
        raise AccountError(
            localised(N_("Das eigene Konto kann nur eine andere Person mit Planung löschen."))
        )
    keep_a_planner(user, None)
    for group in db.session.execute(db.select(Group).filter_by(moderator_id=user.id)).scalars():
        group.moderator = None
    db.session.execute(
        db.update(Card).where(Card.author_user_id == user.id).values(author_user_id=None)
    )
    db.session.delete(user)
    db.session.commit()


def keep_a_planner(user: User, role: str | None) -> None:
    """Refuse to demote or delete (role None) the last planner, so someone can still sign in."""
    if not user.is_planner or role == "planner":
        return
    _hold_planners()
    others = db.session.execute(
        db.select(db.func.count(User.id)).where(User.role == "planner", User.id != user.id)
    ).scalar()
    if not others:
        name = user.username
        db.session.rollback()  # ends the lock; nothing was changed
        raise AccountError(
            localised(
                N_(
                    "%(name)s ist das letzte Konto mit Planung und bleibt es: zuerst ein weiteres "
                    "Konto mit Planung anlegen."
                ),
                name=name,
            )
        )


def _same(user: User, acting: User | None) -> bool:
    return acting is not None and user.id == acting.id


def _hold_planners() -> None:
    # Two planners demoting each other at once must not both see the other as the one left.
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        connection.execute(db.select(User.id).filter_by(role="planner").with_for_update())
    elif not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
