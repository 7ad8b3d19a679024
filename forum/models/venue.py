"""Rooms and the small groups that meet in them."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db


class Room(db.Model):
    """A room of a forum's venue; several groups may share one."""

    __table_args__ = (UniqueConstraint("forum_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    capacity: Mapped[int | None]

    forum: Mapped["Forum"] = relationship(back_populates="rooms")  # noqa: F821
    groups: Mapped[list["Group"]] = relationship(back_populates="room")


class Group(db.Model):
    """A Kleingruppe with its colour, room and moderator."""

    __tablename__ = "work_group"  # "group" is an SQL keyword
    __table_args__ = (UniqueConstraint("forum_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    colour: Mapped[str] = mapped_column(String(7), default="#777777")
    position: Mapped[int] = mapped_column(default=0)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Minutes the moderator added to the running phase for this group only; reset per phase.
    extra_minutes: Mapped[int] = mapped_column(default=0, server_default="0")

    forum: Mapped["Forum"] = relationship(back_populates="groups")  # noqa: F821
    room: Mapped[Room | None] = relationship(back_populates="groups")
    moderator: Mapped["User | None"] = relationship()  # noqa: F821
