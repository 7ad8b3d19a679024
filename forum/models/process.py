"""The participation process, its guiding goals and its forums with their agenda."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db


class Process(db.Model):
    """A participation process (Beteiligungsprozess), e.g. one Fachplan update."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(300), default="")
    # The years each Umsetzungshorizont of a measure stands for in this plan, e.g. "bis 2026";
    # the plan document prints them beside the horizon. Empty: the horizon stands alone.
    horizon_short_years: Mapped[str] = mapped_column(String(60), default="", server_default="")
    horizon_medium_years: Mapped[str] = mapped_column(String(60), default="", server_default="")
    horizon_long_years: Mapped[str] = mapped_column(String(60), default="", server_default="")

    guiding_goals: Mapped[list["GuidingGoal"]] = relationship(
        back_populates="process", order_by="GuidingGoal.position", cascade="all, delete-orphan"
    )
    forums: Mapped[list["Forum"]] = relationship(
        back_populates="process", order_by="Forum.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list["Theme"]] = relationship(  # noqa: F821
        order_by="Theme.id", cascade="all, delete-orphan"
    )

    @property
    def horizon_years(self) -> dict[str, str]:
        """Return the years of each horizon by its key: short, medium and long."""
        return {
            "short": self.horizon_short_years or "",
            "medium": self.horizon_medium_years or "",
            "long": self.horizon_long_years or "",
        }


class GuidingGoal(db.Model):
    """A Leitziel of the plan that measures serve."""

    __table_args__ = (UniqueConstraint("process_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    process: Mapped[Process] = relationship(back_populates="guiding_goals")


class Forum(db.Model):
    """One Themenforum (or the closing evaluation event) of a process."""

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(20), default="forum")
    title: Mapped[str] = mapped_column(String(300))
    motto: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[date | None]
    # "day" prints 23. Januar 2025, "month" prints Juni 2025 (the evaluation event has no day yet).
    date_precision: Mapped[str] = mapped_column(String(10), default="day")
    venue: Mapped[str] = mapped_column(String(300), default="")
    join_code: Mapped[str] = mapped_column(String(40), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    dots_per_participant: Mapped[int] = mapped_column(default=3)
    max_dots_per_measure: Mapped[int] = mapped_column(default=1)
    # Bumped at the start of every join so concurrent joins of one forum take turns.
    join_revision: Mapped[int] = mapped_column(default=0)
    # The running work phase of the agenda and when it ends, in server time (naive UTC).
    phase_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", use_alter=True, ondelete="SET NULL")
    )
    phase_ends_at: Mapped[datetime | None]
    # Days after the forum's end until names and organisations are deleted; None = never.
    purge_after_days: Mapped[int | None]
    # When participants' personal data was last deleted (naive UTC); None = not yet.
    personal_data_purged_at: Mapped[datetime | None]

    process: Mapped[Process] = relationship(back_populates="forums")
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="forum",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        foreign_keys="AgendaItem.forum_id",
    )
    phase_item: Mapped["AgendaItem | None"] = relationship(foreign_keys=[phase_item_id])
    questions: Mapped[list["GuidingQuestion"]] = relationship(
        back_populates="forum", cascade="all, delete-orphan"
    )
    rooms: Mapped[list["Room"]] = relationship(  # noqa: F821
        back_populates="forum", order_by="Room.name", cascade="all, delete-orphan"
    )
    groups: Mapped[list["Group"]] = relationship(  # noqa: F821
        back_populates="forum", order_by="Group.position", cascade="all, delete-orphan"
    )

    @property
    def agenda(self) -> list["AgendaItem"]:
        """Return the top-level agenda items in order."""
        return [item for item in self.agenda_items if item.parent is None]

    def question(self, quadrant: str) -> str:
        """Return the guiding question of a SWOT quadrant, or an empty string."""
        return next((q.text for q in self.questions if q.quadrant == quadrant), "")


class AgendaItem(db.Model):
    """A Tagesordnungspunkt; items with a parent are timed phases of the group work."""

    __table_args__ = (UniqueConstraint("forum_id", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int | None]
    # Machine key of a work phase (warmup, swot, goals, owners, horizon, plenum) that drives the timer.
    phase: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(120), default="")
    per_group: Mapped[bool] = mapped_column(default=False)

    forum: Mapped[Forum] = relationship(back_populates="agenda_items", foreign_keys=[forum_id])
    parent: Mapped["AgendaItem | None"] = relationship(
        back_populates="phases", remote_side="AgendaItem.id"
    )
    phases: Mapped[list["AgendaItem"]] = relationship(
        back_populates="parent", order_by="AgendaItem.position"
    )


class GuidingQuestion(db.Model):
    """The question that guides one quadrant of the SWOT matrix in a forum."""

    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), primary_key=True)
    quadrant: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)

    forum: Mapped[Forum] = relationship(back_populates="questions")
