"""The Auswertung of a process: themes of the consolidated SWOT, curated by planners."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.common import utcnow


class Theme(db.Model):
    """A theme of the consolidated SWOT: cards of any group and forum that say the same thing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    quadrant: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    # Marked by a planner for the plan chapter's consolidated SWOT.
    for_plan: Mapped[bool] = mapped_column(default=False)
    # Renamed, merged, split, marked or given cards by a planner: new suggestions leave it alone.
    curated: Mapped[bool] = mapped_column(default=False)
    # Optimistic-concurrency counter: a change based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    placements: Mapped[list["ThemeCard"]] = relationship(
        back_populates="theme", cascade="all, delete-orphan"
    )


class ThemeCard(db.Model):
    """Where a card stands in the Auswertung: in a theme, or on its own (theme None)."""

    card_id: Mapped[int] = mapped_column(
        ForeignKey("card.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    # Placed by a planner: new suggestions never move it.
    curated: Mapped[bool] = mapped_column(default=False)

    theme: Mapped[Theme | None] = relationship(back_populates="placements")
    card: Mapped["Card"] = relationship()  # noqa: F821
