"""Plain data for documents and exports: what a report says, free of the database and of Flask.

`forum.services.report` fills these from the database; the DOCX builder reads only these, so it
can be tested and benchmarked without an app. No field holds personal data: participants appear
only as counts by organisation type.
"""

from dataclasses import dataclass, field


@dataclass
class CardRow:
    """A visible SWOT card; merged duplicates appear once, with how many cards they stand for."""

    quadrant: str  # strength | weakness | opportunity | threat
    text: str
    merge_count: int = 1


@dataclass
class MeasureRow:
    """A measure with everything the plan update needs, and where it came from."""

    goal: str
    measure: str
    owner: str
    method: str
    horizon: str | None  # short | medium | long | None
    indicator: str
    votes: int
    guiding_goal: int | None  # 1-based number of the Leitziel, or None
    forum: str  # e.g. "1. Themenforum: Gemeinwesenarbeit und Ehrenamt"
    group: str  # e.g. "Orange"


@dataclass
class AgendaRow:
    """A Tagesordnungspunkt, with its timed phases."""

    title: str
    minutes: int | None = None
    phases: list["AgendaRow"] = field(default_factory=list)
    per_group: bool = False


@dataclass
class GroupReport:
    """One group's results."""

    name: str
    colour: str  # "#RRGGBB"
    room: str
    moderator: str  # a role/staff name as shown on the slides, e.g. "Fr. Heyde"
    cards: dict[str, list[CardRow]]  # quadrant -> cards, all four keys present
    measures: list[MeasureRow]


@dataclass
class ForumReport:
    """One forum (or the evaluation event) with its groups."""

    slug: str
    number: int | None
    title: str
    heading: str  # "1. Themenforum: Gemeinwesenarbeit und Ehrenamt"
    date: str  # already formatted in German, "" when open: "23. Januar 2025", "Juni 2025"
    venue: str
    agenda: list[AgendaRow]
    questions: dict[str, str]  # quadrant -> guiding question
    participation: dict[str, int]  # German organisation-type label -> participants
    groups: list[GroupReport]

    @property
    def measures(self) -> list[MeasureRow]:
        """All measures of the forum's groups."""
        return [measure for group in self.groups for measure in group.measures]


@dataclass
class ProcessReport:
    """The whole process, or one forum of it when `forums` has one entry."""

    title: str
    organiser: str
    guiding_goals: list[str]
    forums: list[ForumReport]
