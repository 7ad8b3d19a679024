"""The demo's accounts keep their passwords from one start to the next.

The passwords live in one file beside the demo's secret key (instance folder, mode 0600) and
are shown again on every start. An account whose password already matches is not touched, so
its sessions stay valid (a new password hash would end them, see User.set_password).
"""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from forum.extensions import db
from forum.models import User
from forum.services.accounts import save_account

FILE_NAME = "demo_passwords.json"


@dataclass
class DemoSignIn:
    """What the demo prints for one account: its password, or why it does not know it."""

    username: str
    password: str | None
    note: str = ""


def keep_passwords(instance_path: str | Path, accounts: list[tuple[str, str, str]]) -> dict:
    """Give each (username, name, role) account its kept password; return DemoSignIn by name.

    Creates missing accounts and gives a password to accounts without one. An account whose
    password was changed elsewhere (console, `forum user`) keeps it and is shown as such.
    """
    path = Path(instance_path) / FILE_NAME
    first_start = not path.exists()
    known = _read(path)
    shown = {}
    for username, display_name, role in accounts:
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        password = known.get(username)
        if user is not None and password and user.check_password(password):
            shown[username] = DemoSignIn(username, password)
        elif user is not None and user.password_hash and not first_start:
            # Someone chose this password on purpose; the demo does not overwrite it.
            shown[username] = DemoSignIn(username, None, "eigenes Passwort")
        else:
            # New account, one without a password, or a demo database from before this file.
            password = password or secrets.token_urlsafe(9)
            name = user.display_name if user else display_name
            save_account(username, name, user.role if user else role, password)
            known[username] = password
            shown[username] = DemoSignIn(username, password)
    _write(path, known)
    return shown


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(path: Path, passwords: dict[str, str]) -> None:
    # Created with 0600 from the start, like the secret key: no moment readable by others.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(passwords, file, indent=2, sort_keys=True)
    path.chmod(0o600)
