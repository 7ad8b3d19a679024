"""Gather what documents and exports say from the database into plain report data.

Only visible cards and measures go in (hidden and merged-away ones are left out); participants
appear only as counts by organisation type, so no personal data reaches a document.
"""

from collections import Counter

from flask_babel import force_locale
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import ORG_TYPE_LABELS, QUADRANTS, Card, Forum, Measure, Participant, Process
from forum.services.report_model import (
    AgendaRow,
    CardRow,
    ForumReport,
    GroupReport,
    MeasureRow,
    ProcessReport,
)
from forum.vocabulary import forum_date


def process_report(process: Process, forum: Forum | None = None) -> ProcessReport:
    """Describe the whole process, or only one of its forums."""
    forums = [forum] if forum is not None else list(process.forums)
    return ProcessReport(
        title=process.title,
        organiser=process.organiser,
        guiding_goals=[goal.text for goal in process.guiding_goals],
        forums=[forum_report(f) for f in forums],
    )


def heading(forum: Forum) -> str:
    """Name a forum as the slides do: '1. Themenforum: Gemeinwesenarbeit und Ehrenamt'."""
    return f"{forum.number}. Themenforum: {forum.title}" if forum.number else forum.title


def forum_report(forum: Forum) -> ForumReport:
    """Describe one forum with its groups, cards and measures."""
    cards = _cards_by_group(forum)
    measures = _measures_by_group(forum)
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
                measures=measures.get(group.id, []),
            )
            for group in forum.groups
        ],
    )


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
        quadrants[card.quadrant].append(CardRow(card.quadrant, card.text, card.merge_count))
    return result


def _measures_by_group(forum: Forum) -> dict[int, list[MeasureRow]]:
    group_ids = [group.id for group in forum.groups]
    rows = db.session.execute(
        db.select(Measure)
        .where(
            Measure.group_id.in_(group_ids),
            Measure.hidden.is_(False),
            Measure.merged_into_id.is_(None),
        )
        .options(selectinload(Measure.votes), selectinload(Measure.merged))
        .order_by(Measure.created_at, Measure.id)
    ).scalars()
    result: dict[int, list[MeasureRow]] = {}
    for measure in rows:
        result.setdefault(measure.group_id, []).append(measure_row(measure))
    return result


def measure_row(measure: Measure) -> MeasureRow:
    """Describe a measure; votes of measures merged into it count for it."""
    group = measure.group
    return MeasureRow(
        goal=measure.goal,
        measure=measure.title,
        owner=measure.owner,
        method=measure.method,
        horizon=measure.horizon,
        indicator=measure.indicator,
        votes=len(measure.votes) + sum(len(m.votes) for m in measure.merged),
        guiding_goal=measure.guiding_goal.position if measure.guiding_goal else None,
        forum=heading(group.forum),
        group=_origins(measure),
    )


def _origins(measure: Measure) -> str:
    # Merged measures keep their origins: "Orange, Grün; Blau (2. Themenforum: …)".
    own_forum = measure.group.forum_id
    names = [measure.group.name]
    for merged in measure.merged:
        group = merged.group
        label = (
            group.name if group.forum_id == own_forum else f"{group.name} ({heading(group.forum)})"
        )
        if label not in names:
            names.append(label)
    return ", ".join(names)
