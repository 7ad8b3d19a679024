"""Gather what documents and exports say from the database into plain report data.

Only visible cards go in, also into the themes of the consolidated SWOT; a measure merged into
another stays as that group's proposal and counts for the measure it was merged into; hidden
measures are left out. Participants appear only as counts, so no personal data reaches a
document.
"""

from collections import Counter

from flask_babel import force_locale
from sqlalchemy import func

from forum.extensions import db
from forum.models import (
    ORG_TYPE_LABELS,
    QUADRANTS,
    Card,
    Forum,
    Measure,
    Participant,
    Process,
    Theme,
    Vote,
    measure_card,
)
from forum.services.auswertung.workspace import workspace
from forum.services.report_model import (
    AgendaRow,
    CardRow,
    ForumReport,
    GroupReport,
    MeasureRow,
    ProcessReport,
    Proposal,
    SwotTheme,
    number_measures,
)
from forum.services.voting import event_vote, forum_vote
from forum.vocabulary import forum_date


def process_report(process: Process, forum: Forum | None = None) -> ProcessReport:
    """Describe the whole process, or only one of its forums, with its numbered plan measures."""
    forums = [forum] if forum is not None else list(process.forums)
    measures = plan_measures(process, forums)
    proposals: dict[int, list[Proposal]] = {}
    for measure in measures:
        for origin in measure.origins:
            proposals.setdefault(origin.group_key, []).append(origin)
    return ProcessReport(
        title=process.title,
        organiser=process.organiser,
        guiding_goals=[goal.text for goal in process.guiding_goals],
        forums=[forum_report(f, proposals) for f in forums],
        measures=measures,
        horizon_years=process.horizon_years,
        swot=swot_themes(process, forum),
        swot_selected=_any_marked(process),
    )


def swot_themes(process: Process, forum: Forum | None = None) -> list[SwotTheme]:
    """The themes a planner marked for the plan, with their visible cards counted.

    For one forum's document only that forum's cards count, and a marked theme without any of
    them stays out: the document reports that forum, as its measures and numbers do.
    """
    result = []
    for view in workspace(process):
        themes = []
        for theme in view.themes:
            if not theme.theme.for_plan:
                continue
            cards = [c for c in theme.cards if forum is None or c.group.forum_id == forum.id]
            if cards:
                themes.append(_swot_theme(theme.theme.quadrant, theme.theme.title, cards))
        themes.sort(key=lambda t: (-t.cards, -t.groups, t.title.casefold()))
        result.extend(themes)
    return result


def _swot_theme(quadrant: str, title: str, cards: list[Card]) -> SwotTheme:
    return SwotTheme(
        quadrant=quadrant,
        title=title,
        cards=len(cards),
        groups=len({card.group_id for card in cards}),
        forums=len({card.group.forum_id for card in cards}),
        examples=examples(title, cards),
    )


def examples(title: str, cards: list[Card], count: int = 2) -> list[str]:
    """Up to `count` card texts that show the theme: its first card, then one from another forum
    (else from another group, else the next). A card that only repeats the title is quoted only
    when the theme has no other."""
    title_key = _folded(title)
    pools = (
        [card for card in cards if _folded(card.text) != title_key],
        [card for card in cards if _folded(card.text) == title_key],
    )
    apart = (
        lambda card, other: card.group.forum_id != other.group.forum_id,
        lambda card, other: card.group_id != other.group_id,
        lambda card, other: True,
    )
    chosen: list[Card] = []
    for pool in pools:
        for differs in apart:
            for card in pool:
                if len(chosen) == count:
                    return [card.text for card in chosen]
                texts = {_folded(other.text) for other in chosen}
                if _folded(card.text) not in texts and all(differs(card, o) for o in chosen):
                    chosen.append(card)
    return [card.text for card in chosen]


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _any_marked(process: Process) -> bool:
    marked = db.select(Theme.id).where(Theme.process_id == process.id, Theme.for_plan.is_(True))
    return db.session.execute(marked.limit(1)).first() is not None


def heading(forum: Forum) -> str:
    """Name a forum as the slides do: '1. Themenforum: Gemeinwesenarbeit und Ehrenamt'."""
    return f"{forum.number}. Themenforum: {forum.title}" if forum.number else forum.title


def forum_report(forum: Forum, proposals: dict[int, list[Proposal]]) -> ForumReport:
    """Describe one forum with its groups, cards and the measures each group proposed."""
    cards = _cards_by_group(forum)
    people = _participants_by_group([forum])
    with force_locale("de"):
        date = forum_date(forum)
    return ForumReport(
        slug=forum.slug,
        number=forum.number,
        title=forum.title,
        heading=heading(forum),
        date=date,
        venue=forum.venue,
        agenda=[_agenda_row(item) for item in forum.agenda],
        questions={q.quadrant: q.text for q in forum.questions},
        participation=_participation(forum),
        groups=[
            GroupReport(
                name=group.name,
                colour=group.colour,
                room=group.room.name if group.room else "",
                moderator=group.moderator.display_name if group.moderator else "",
                cards=cards.get(group.id, {quadrant: [] for quadrant in QUADRANTS}),
                proposals=sorted(proposals.get(group.id, []), key=lambda p: p.order),
                participants=people.get(group.id, 0),
            )
            for group in forum.groups
        ],
    )


def plan_measures(process: Process, forums: list[Forum]) -> list[MeasureRow]:
    """Return the numbered plan measures with an origin in these forums, each with all its origins."""
    groups = {g.id: (f, g) for f in process.forums for g in f.groups}
    rows = db.session.execute(
        db.select(Measure).where(Measure.group_id.in_(groups), Measure.hidden.is_(False))
    ).scalars()
    measures = {m.id: m for m in rows}
    votes = _votes(measures)
    event_votes = _votes(measures, event=True)
    people = _participants_by_group(list(process.forums))
    answered = _answered_cards(measures)
    families: dict[int, list[Measure]] = {}
    for measure in measures.values():
        root = _root(measure, measures)
        if root is not None:
            families.setdefault(root.id, []).append(measure)
    scope = {g.id for f in forums for g in f.groups}
    result = []
    for root_id, family in families.items():
        family.sort(key=lambda m: (m.id != root_id, _order(m, groups)))
        if not any(m.group_id in scope for m in family):
            continue
        origins = [_proposal(m, groups, votes, people, root_id) for m in family]
        for origin, member in zip(origins, family, strict=True):
            origin.cards = answered.get(member.id, [])
        goal = next((m.guiding_goal.position for m in family if m.guiding_goal), None)
        root = family[0]
        row = MeasureRow(root_id, goal, origins, decision=root.decision)
        row.decision_reason = root.decision_reason
        row.event_votes = sum(event_votes.get(m.id, 0) for m in family)
        result.append(row)
    return number_measures(result)


def _root(measure: Measure, measures: dict[int, Measure]) -> Measure | None:
    """Follow merges to the measure that stands in the plan (None when that one is hidden)."""
    seen = set()
    while measure.merged_into_id is not None and measure.id not in seen:
        seen.add(measure.id)
        target = measures.get(measure.merged_into_id)
        if target is None:
            return None
        measure = target
    return measure


def _order(measure: Measure, groups) -> tuple:
    forum, group = groups[measure.group_id]
    return (forum.position, forum.id, group.position, group.id, measure.created_at, measure.id)


def _proposal(measure: Measure, groups, votes, people, root_id) -> Proposal:
    forum, group = groups[measure.group_id]
    return Proposal(
        forum=heading(forum),
        group=group.name,
        group_key=group.id,
        participants=people.get(group.id, 0),
        goal=measure.goal,
        title=measure.title,
        owner=measure.owner,
        method=measure.method,
        horizon=measure.horizon,
        indicator=measure.indicator,
        votes=votes.get(measure.id, 0),
        order=_order(measure, groups),
        measure_key=root_id,
        merged=measure.id != root_id,
    )


def _votes(measures: dict[int, Measure], event: bool = False) -> dict[int, int]:
    """Dots by measure: the forums' (paper and forum phones), or the evaluation event's."""
    rows = db.session.execute(
        db.select(Vote.measure_id, func.count())
        .where(Vote.measure_id.in_(measures), event_vote() if event else forum_vote())
        .group_by(Vote.measure_id)
    )
    return dict(rows.all())


def _participants_by_group(forums: list[Forum]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(Participant.group_id, func.count())
        .where(Participant.forum_id.in_([f.id for f in forums]))
        .group_by(Participant.group_id)
    )
    return dict(rows.all())


def _answered_cards(measures: dict[int, Measure]) -> dict[int, list[CardRow]]:
    """The visible cards each measure answers; a merged-away card stands for the card it joined."""
    # One CardRow per card, so a card that two merged proposals answer is quoted once.
    links = db.session.execute(
        db.select(measure_card.c.measure_id, Card)
        .join(Card, Card.id == measure_card.c.card_id)
        .where(measure_card.c.measure_id.in_(measures))
        .order_by(Card.created_at, Card.id)
    ).all()
    result: dict[int, list[CardRow]] = {}
    rows: dict[int, CardRow] = {}
    for measure_id, card in links:
        while card.merged_into_id is not None:
            card = db.session.get(Card, card.merged_into_id)
        if not card.hidden:
            row = rows.setdefault(card.id, _card_row(card))
            answers = result.setdefault(measure_id, [])
            if all(other is not row for other in answers):
                answers.append(row)
    return result


def _card_row(card: Card) -> CardRow:
    return CardRow(card.quadrant, card.text, card.merge_count)


def _agenda_row(item) -> AgendaRow:
    return AgendaRow(
        title=item.title,
        minutes=item.minutes,
        per_group=item.per_group,
        phases=[_agenda_row(phase) for phase in item.phases],
    )


def _participation(forum: Forum) -> dict[str, int]:
    counts = Counter(
        dict(
            db.session.execute(
                db.select(Participant.org_type, func.count())
                .filter_by(forum_id=forum.id)
                .group_by(Participant.org_type)
            ).all()
        )
    )
    return {label: counts[key] for key, label in ORG_TYPE_LABELS.items()}


def _cards_by_group(forum: Forum) -> dict[int, dict[str, list[CardRow]]]:
    group_ids = [group.id for group in forum.groups]
    rows = db.session.execute(
        db.select(Card)
        .where(Card.group_id.in_(group_ids), Card.hidden.is_(False), Card.merged_into_id.is_(None))
        .order_by(Card.created_at, Card.id)
    ).scalars()
    result: dict[int, dict[str, list[CardRow]]] = {}
    for card in rows:
        quadrants = result.setdefault(card.group_id, {quadrant: [] for quadrant in QUADRANTS})
        quadrants[card.quadrant].append(_card_row(card))
    return result
