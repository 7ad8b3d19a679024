"""Moderator accounts created while a forum is set up, each with a password shown only once."""

import secrets

from forum.extensions import db
from forum.models import User

# Without 0/O, 1/l/I: the password is read off a printed sheet and typed on a laptop.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def generated_password() -> str:
    """Return a random password of 4 × 4 characters (80 bits), easy to read and type."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))


def create_moderator(username: str, display_name: str) -> tuple[User, str]:
    """Add a moderator account to the session and return it with its one-time plain password.

    Only the password's hash is stored; the caller shows the plain text once and commits.
    """
    password = generated_password()
    user = User(
        username=username.strip().lower(), display_name=display_name.strip(), role="moderator"
    )
    user.set_password(password)
    db.session.add(user)
    return user, password
