"""Plain data for documents and exports: what a report says, free of the database and of Flask.

`forum.services.report` fills these from the database; the DOCX builder reads only these, so it
can be tested and benchmarked without an app. No field holds personal data: participants appear
only as counts by organisation type and per group.

Numbering rule for the plan chapter (`number_measures`): a measure is numbered `M <Leitziel>.<n>`;
Leitziel 0 means "noch ohne Leitziel". Within a Leitziel, measures are counted in order of
priority (dots per participant of the groups they came from, highest first), then dots, then
where they came from (forum, group, order of entry). The same data always gives the same numbers.
"""

from dataclasses import dataclass, field

QUADRANT_LABELS = {
    "strength": "Stärken",
    "weakness": "Schwächen",
    "opportunity": "Chancen",
    "threat": "Risiken",
}
QUADRANT_SINGULAR = {
    "strength": "Stärke",
    "weakness": "Schwäche",
    "opportunity": "Chance",
    "threat": "Risiko",
}
HORIZON_LABELS = {"short": "kurzfristig", "medium": "mittelfristig", "long": "langfristig"}


@dataclass
class CardRow:
    """A visible SWOT card; merged duplicates appear once, with how many cards they stand for."""

    quadrant: str  # strength | weakness | opportunity | threat
    text: str
    merge_count: int = 1


@dataclass
class Proposal:
    """One measure as one group proposed it, with its own dots; several make one plan measure."""

    forum: str  # "1. Themenforum: Gemeinwesenarbeit und Ehrenamt"
    group: str  # "Orange"
    group_key: object  # identifies the group across forums (its database id)
    participants: int  # participants of that group
    goal: str
    title: str
    owner: str
    method: str
    horizon: str | None  # short | medium | long | None
    indicator: str
    votes: int
    order: tuple = ()  # where it came from: (forum position, group position, entry order)
    measure_key: object = None  # the plan measure this proposal counts for
    merged: bool = False  # True when merged into another group's measure
    cards: list[CardRow] = field(default_factory=list)  # the SWOT cards this proposal answers

    @property
    def forum_short(self) -> str:
        """Name the forum briefly: '1. Themenforum'."""
        return self.forum.split(":", 1)[0]


@dataclass
class MeasureRow:
    """A measure of the plan: the kept proposal's text, every origin, the cards it answers."""

    key: object  # stable identity (the kept measure's id)
    guiding_goal: int | None  # 1-based number of the Leitziel, or None
    origins: list[Proposal]  # the kept proposal first, then those merged into it
    number: str = ""  # "M 2.3", set by number_measures
    # Dots of the Auswertungsveranstaltung: the event's priority, apart from the forums' `votes`.
    event_votes: int = 0
    decision: str = "open"  # the Auswertung's: open, adopt or defer
    decision_reason: str = ""

    @property
    def kept(self) -> Proposal:
        """The proposal whose wording the plan measure uses."""
        return self.origins[0]

    goal = property(lambda self: self.kept.goal)
    title = property(lambda self: self.kept.title)
    owner = property(lambda self: self.kept.owner)
    method = property(lambda self: self.kept.method)
    horizon = property(lambda self: self.kept.horizon)
    indicator = property(lambda self: self.kept.indicator)

    @property
    def cards(self) -> list[CardRow]:
        """The SWOT cards its proposals answer, each once."""
        return list({id(card): card for o in self.origins for card in o.cards}.values())

    @property
    def votes(self) -> int:
        """Dots on the measure and on every proposal merged into it."""
        return sum(origin.votes for origin in self.origins)

    @property
    def participants(self) -> int:
        """Participants of the groups it came from, each group counted once."""
        groups = {origin.group_key: origin.participants for origin in self.origins}
        return sum(groups.values())

    @property
    def priority(self) -> float | None:
        """Dots per participant of its groups, so groups of 6 and of 12 compare fairly."""
        return self.votes / self.participants if self.participants else None

    @property
    def missing(self) -> list[str]:
        """Name what the plan needs and nobody has filled in: owner, horizon, indicator."""
        fields = {"owner": self.owner, "horizon": self.horizon, "indicator": self.indicator}
        return [name for name, value in fields.items() if not (value or "").strip()]


@dataclass
class AgendaRow:
    """A Tagesordnungspunkt, with its timed phases."""

    title: str
    minutes: int | None = None
    phases: list["AgendaRow"] = field(default_factory=list)
    per_group: bool = False


@dataclass
class GroupReport:
    """One group's results: its cards and the measures it proposed, each as it proposed it."""

    name: str
    colour: str  # "#RRGGBB"
    room: str
    moderator: str  # a role/staff name as shown on the slides, e.g. "Fr. Heyde"
    cards: dict[str, list[CardRow]]  # quadrant -> cards, all four keys present
    proposals: list[Proposal]
    participants: int = 0

    @property
    def card_count(self) -> int:
        """Visible cards of the group."""
        return sum(len(cards) for cards in self.cards.values())


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
    def short(self) -> str:
        """Name the forum briefly: '1. Themenforum'."""
        return self.heading.split(":", 1)[0]

    @property
    def has_results(self) -> bool:
        """Whether any group wrote a card or proposed a measure."""
        return any(group.card_count or group.proposals for group in self.groups)


@dataclass
class SwotTheme:
    """A theme of the consolidated SWOT that a planner marked for the plan chapter.

    `groups` and `forums` count how many groups and forums raised it (with at least one visible
    card); `examples` are up to two of its cards, word for word, from different forums where it
    has them.
    """

    quadrant: str  # strength | weakness | opportunity | threat
    title: str
    cards: int
    groups: int
    forums: int
    examples: list[str] = field(default_factory=list)


@dataclass
class ProcessReport:
    """The whole process, or one forum of it when `forums` has one entry."""

    title: str
    organiser: str
    guiding_goals: list[str]
    forums: list[ForumReport]
    measures: list[MeasureRow] = field(default_factory=list)  # each plan measure once
    horizon_years: dict[str, str] = field(default_factory=dict)  # "short" -> "bis 2026"
    # The consolidated SWOT: themes marked for the plan, per quadrant in the workspace's order
    # (most cards first). Empty when the Auswertung has marked none (or, in a one-forum
    # document, when no marked theme holds a card of that forum: `swot_selected` tells which).
    swot: list[SwotTheme] = field(default_factory=list)
    swot_selected: bool = False  # whether the Auswertung marked any theme for the plan


def priority_key(measure: MeasureRow) -> tuple:
    """Sort key: highest dots per participant first, then most dots, then origin order."""
    priority = measure.priority
    return (
        priority is None,
        -(priority or 0),
        -measure.votes,
        measure.kept.order,
        str(measure.key),
    )


def number_measures(measures: list[MeasureRow]) -> list[MeasureRow]:
    """Number measures `M <Leitziel>.<n>` by the rule in this module's docstring; return them in order."""
    ordered = sorted(measures, key=lambda m: (m.guiding_goal is None, m.guiding_goal or 0))
    by_goal: dict[int, list[MeasureRow]] = {}
    for measure in ordered:
        by_goal.setdefault(measure.guiding_goal or 0, []).append(measure)
    result = []
    for goal, group in by_goal.items():
        for index, measure in enumerate(sorted(group, key=priority_key), start=1):
            measure.number = f"M {goal}.{index}"
            result.append(measure)
    return result
