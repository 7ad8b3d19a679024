"""The planner's Auswertung: suggested themes, and the planner's curation that suggestions respect.

Plain write functions in the style of the other services: they take models and values, never
the request. Every change to a theme checks the version the planner saw, so two planners
editing at once are told instead of one silently overwriting the other.
"""

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import QUADRANTS, Card, Forum, Group, Process, Theme, ThemeCard
from forum.services.auswertung.themes import CardText, suggest_themes
from forum.services.text import MAX_TITLE, clean_text


class Conflict(Exception):
    """Someone changed the theme since the planner loaded the page."""


@dataclass
class ThemeView:
    """A theme as the workspace shows it, with its cards and how widely it was raised."""

    theme: Theme
    cards: list[Card]
    groups: int
    forums: int


@dataclass
class QuadrantView:
    """One quadrant of the consolidated SWOT: its themes and its single cards."""

    quadrant: str
    themes: list[ThemeView] = field(default_factory=list)
    singles: list[Card] = field(default_factory=list)


def visible_cards(process: Process) -> list[Card]:
    """Every visible card of every forum of the process, in the order they were written."""
    return list(
        db.session.execute(
            select(Card)
            .join(Group, Card.group_id == Group.id)
            .join(Forum, Group.forum_id == Forum.id)
            .where(
                Forum.process_id == process.id,
                Card.hidden.is_(False),
                Card.merged_into_id.is_(None),
            )
            .options(contains_eager(Card.group).contains_eager(Group.forum))
            .order_by(Card.created_at, Card.id)
        ).scalars()
    )


def workspace(process: Process) -> list[QuadrantView]:
    """Describe the consolidated SWOT per quadrant: themes (largest first) and single cards."""
    cards = visible_cards(process)
    placed = _placements(process)
    views = {quadrant: QuadrantView(quadrant) for quadrant in QUADRANTS}
    members: dict[int, list[Card]] = {}
    for card in cards:
        theme_id = placed.get(card.id)
        if theme_id is None:
            views[card.quadrant].singles.append(card)
        else:
            members.setdefault(theme_id, []).append(card)
    for theme in _themes(process):
        own = members.get(theme.id, [])
        groups = {card.group_id for card in own}
        forums = {card.group.forum_id for card in own}
        views[theme.quadrant].themes.append(ThemeView(theme, own, len(groups), len(forums)))
    for view in views.values():
        view.themes.sort(key=lambda t: (-len(t.cards), -t.groups, t.theme.title.casefold()))
    return list(views.values())


def suggest(process: Process) -> int:
    """Suggest themes for every card a planner has not placed; return how many themes there are."""
    curated = set(
        db.session.execute(
            select(ThemeCard.card_id).join(Card).where(ThemeCard.curated.is_(True))
        ).scalars()
    )
    _forget_suggestions(process)
    cards = [card for card in visible_cards(process) if card.id not in curated]
    texts = [
        CardText(card.id, card.quadrant, card.text, card.group_id, card.group.forum_id)
        for card in cards
    ]
    for suggestion in suggest_themes(texts):
        if len(suggestion.keys) < 2:
            continue  # a card on its own needs no theme
        theme = Theme(
            process_id=process.id, quadrant=suggestion.quadrant, title=_title(suggestion.title)
        )
        theme.placements = [ThemeCard(card_id=key) for key in suggestion.keys]
        db.session.add(theme)
    db.session.commit()
    return len(_themes(process))


def rename(theme: Theme, title: str, version: int) -> None:
    """Give a theme the planner's title."""
    cleaned = clean_text(title)[0]
    if not cleaned or len(cleaned) > MAX_TITLE:
        raise ValueError(cleaned)
    _check(theme, version)
    theme.title = cleaned
    _curate(theme)
    db.session.commit()


def mark(theme: Theme, for_plan: bool, version: int) -> None:
    """Mark a theme for the plan chapter's consolidated SWOT, or take the mark back."""
    _check(theme, version)
    theme.for_plan = for_plan
    _curate(theme)
    db.session.commit()


def move_cards(process: Process, cards: list[Card], target, versions: dict) -> Theme | None:
    """Put cards into the theme `target`, into a new theme ("new"), or on their own (None)."""
    quadrant = cards[0].quadrant
    if any(card.quadrant != quadrant for card in cards) or (
        isinstance(target, Theme) and target.quadrant != quadrant
    ):
        raise ValueError("a card stays in its quadrant")
    # The themes the cards leave are checked: a card is taken only from where the planner saw it.
    themes = _themes_of(cards)
    for theme in themes:
        _check(theme, versions.get(theme.id))
    if target == "new":
        target = Theme(process_id=process.id, quadrant=cards[0].quadrant, title=cards[0].text)
        target.title = _title(target.title)
        db.session.add(target)
    for card in cards:
        placement = db.session.get(ThemeCard, card.id) or ThemeCard(card_id=card.id)
        placement.theme, placement.curated = target, True
        db.session.add(placement)
    for theme in themes | ({target} if target is not None else set()):
        _curate(theme)
    db.session.flush()
    _drop_empty(themes)
    db.session.commit()
    return target


def merge(keep: Theme, other: Theme, versions: dict) -> None:
    """Fold `other` into `keep`: its cards join, its title goes."""
    if keep.id == other.id or keep.quadrant != other.quadrant:
        raise ValueError("merge")
    _check(keep, versions.get(keep.id))
    _check(other, versions.get(other.id))
    for placement in list(other.placements):
        placement.theme, placement.curated = keep, True
    keep.for_plan = keep.for_plan or other.for_plan
    _curate(keep)
    db.session.flush()
    db.session.delete(other)
    db.session.commit()


def _check(theme: Theme, version) -> None:
    if str(version) != str(theme.version):
        raise Conflict(theme.title)


def _curate(theme: Theme) -> None:
    # A theme the planner worked on is theirs, with the cards it holds: suggestions keep off.
    theme.curated = True
    theme.version += 1
    for placement in theme.placements:
        placement.curated = True


def _title(text: str) -> str:
    cleaned = " ".join(clean_text(text)[0].split())
    return cleaned if len(cleaned) <= MAX_TITLE else cleaned[: MAX_TITLE - 1].rstrip() + "…"


def _themes(process: Process) -> list[Theme]:
    return list(
        db.session.execute(
            select(Theme).where(Theme.process_id == process.id).order_by(Theme.id)
        ).scalars()
    )


def _placements(process: Process) -> dict[int, int | None]:
    rows = db.session.execute(
        select(ThemeCard.card_id, ThemeCard.theme_id)
        .join(Card, ThemeCard.card_id == Card.id)
        .join(Group, Card.group_id == Group.id)
        .join(Forum, Group.forum_id == Forum.id)
        .where(Forum.process_id == process.id)
    )
    return dict(rows.all())


def _themes_of(cards: list[Card]) -> set[Theme]:
    placements = [db.session.get(ThemeCard, card.id) for card in cards]
    return {p.theme for p in placements if p is not None and p.theme is not None}


def _drop_empty(themes) -> None:
    for theme in themes:
        if not theme.placements:
            db.session.delete(theme)


def _forget_suggestions(process: Process) -> None:
    """Remove what earlier suggestions placed, and their themes unless a planner touched them."""
    theme_ids = select(Theme.id).where(Theme.process_id == process.id)
    db.session.execute(
        delete(ThemeCard).where(ThemeCard.theme_id.in_(theme_ids), ThemeCard.curated.is_(False)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(Theme).where(
            Theme.process_id == process.id,
            Theme.curated.is_(False),
            ~select(ThemeCard.card_id).where(ThemeCard.theme_id == Theme.id).exists(),
        ),
        execution_options={"synchronize_session": False},
    )
    db.session.expire_all()
