"""What groups produce: SWOT cards, measures and the dots voted on them."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.common import utcnow

measure_card = Table(
    "measure_card",
    db.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("card_id", ForeignKey("card.id", ondelete="CASCADE"), primary_key=True),
)
# The themes of the consolidated SWOT a measure answers, assigned in the Auswertung.
measure_theme = Table(
    "measure_theme",
    db.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)
DECISIONS = ("open", "adopt", "defer")


class Card(db.Model):
    """A card in one quadrant of a group's SWOT matrix."""

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    quadrant: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("card.id"))
    # How many original cards this one stands for after merging duplicates.
    merge_count: Mapped[int] = mapped_column(default=1)
    # Optimistic-concurrency counter: an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    # Idempotency key sent with the form: a retried or double-tapped post stores one card.
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped["Group"] = relationship()  # noqa: F821
    participant: Mapped["Participant | None"] = relationship()  # noqa: F821

    @property
    def visible(self) -> bool:
        """Hidden and merged-away cards are never shown to participants or exported."""
        return not self.hidden and self.merged_into_id is None


class Measure(db.Model):
    """A goal and measure with owner, method, horizon and indicator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    guiding_goal_id: Mapped[int | None] = mapped_column(ForeignKey("guiding_goal.id"))
    goal: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(Text, default="")
    horizon: Mapped[str | None] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(Text, default="")
    hidden: Mapped[bool] = mapped_column(default=False)
    # The planners' decision in the Auswertung: open, adopt (übernehmen) or defer (zurückstellen).
    decision: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A likely duplicate merged into another measure; it keeps its own forum and group as origin.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"))
    version: Mapped[int] = mapped_column(default=1)
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped["Group"] = relationship()  # noqa: F821
    merged: Mapped[list["Measure"]] = relationship(order_by="Measure.id")
    guiding_goal: Mapped["GuidingGoal | None"] = relationship()  # noqa: F821
    cards: Mapped[list[Card]] = relationship(secondary=measure_card)
    themes: Mapped[list["Theme"]] = relationship(  # noqa: F821
        secondary=measure_theme, order_by="Theme.id"
    )
    votes: Mapped[list["Vote"]] = relationship(
        back_populates="measure", cascade="all, delete-orphan"
    )

    @property
    def visible(self) -> bool:
        """Hidden and merged-away measures are left out of every view and export."""
        return not self.hidden and self.merged_into_id is None

    @property
    def missing(self) -> list[str]:
        """Name the fields the plan update needs that are still empty."""
        fields = {"owner": self.owner, "horizon": self.horizon, "indicator": self.indicator}
        return [name for name, value in fields.items() if not (value or "").strip()]


class Vote(db.Model):
    """One dot a participant placed on a measure."""

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    # A double tap on "Punkt setzen" places one dot, even where several per measure are allowed.
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="votes")


class BoardChange(db.Model):
    """A card or measure of a group that changed: live pages ask for what changed since a version.

    Written only by database triggers on card, measure and vote (the migration 7c1e0b5d2f48
    creates them), so every writer is logged, and read by forum.services.changes. Ids are
    never reused, so "every change after id N" stays a true statement.
    """

    __tablename__ = "board_change"
    __table_args__ = (
        # A group's newest change and its recent ones are a short range of this index.
        Index("ix_board_change_group_id_id", "group_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"))
    # "card" or "measure"
    kind: Mapped[str] = mapped_column(String(8))
    # No foreign key: a deleted card keeps its row, which tells the pages to remove it.
    item_id: Mapped[int]
