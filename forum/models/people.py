"""Accounts of planners and moderators, and the anonymous-by-default participants."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models.common import utcnow

ORG_TYPE_LABELS = {
    "full_time": "Hauptamt",
    "volunteer": "Ehrenamt",
    "migrant_org": "Migrant*innenorganisation",
    "administration": "Verwaltung",
    "other": "Sonstige",
}


class User(UserMixin, db.Model):
    """A planner or moderator; moderators from a seed have no password until one is set."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="moderator")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the signed-in identity: bumping it ends every session of this account.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        """Identity kept in the session cookie: account and session version."""
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Make every existing session cookie of this account worthless."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password; sessions signed in with the old one end."""
        self.password_hash = generate_password_hash(password)
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches; accounts without one never match."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_planner(self) -> bool:
        """Planners may act on every forum and group."""
        return self.role == "planner"


class Participant(db.Model):
    """A phone that joined a forum; name and organisation are optional personal data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("work_group.id"), index=True)
    # SHA-256 of the phone's 128-bit token. The join form carries the token, so a double tap
    # on "Teilnehmen" finds the participant the first tap created; the token is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped["Forum"] = relationship()  # noqa: F821
    group: Mapped["Group | None"] = relationship()  # noqa: F821
