"""Dot voting: each participant places a forum's number of dots on the group's measures.

At the Auswertungsveranstaltung (a forum of kind "evaluation") the phones vote instead on the
measures the planners adopted, of any forum of the process, within the event's own limits.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Forum, Measure, Participant, Vote
from forum.services.cards import insert_once


class VoteRefused(Exception):
    """A dot that cannot be placed; the message says why, translated when shown."""


def dots_used(participant: Participant) -> int:
    """Count the dots the participant has placed."""
    return db.session.execute(
        db.select(func.count(Vote.id)).filter_by(participant_id=participant.id)
    ).scalar_one()


def dots_by_measure(participant: Participant) -> dict[int, int]:
    """Count the participant's dots per measure in one query."""
    return dict(
        db.session.execute(
            db.select(Vote.measure_id, func.count(Vote.id))
            .where(Vote.participant_id == participant.id)
            .group_by(Vote.measure_id)
        ).all()
    )


def dots_on(participant: Participant, measure: Measure) -> int:
    """Count the participant's dots on one measure."""
    return db.session.execute(
        db.select(func.count(Vote.id)).filter_by(
            participant_id=participant.id, measure_id=measure.id
        )
    ).scalar_one()


def vote(participant: Participant, measure: Measure, client_key: str) -> None:
    """Place one dot, once per form key, within the forum's limits."""
    forum = participant.forum
    if not may_vote_on(participant, measure):
        if forum.kind == "evaluation":
            raise VoteRefused(_l("Über diese Maßnahme wird hier nicht abgestimmt."))
        raise VoteRefused(_l("Diese Maßnahme gehört nicht zu Ihrer Gruppe."))
    # Counted and placed under the participant's lock: simultaneous taps wait and count each other.
    _hold_dots(participant)
    if db.session.execute(db.select(Vote.id).filter_by(client_key=client_key)).first():
        db.session.rollback()
        return
    refusal = None
    if dots_used(participant) >= forum.dots_per_participant:
        refusal = _l("Alle Ihre Punkte sind vergeben. Nehmen Sie einen zurück, um umzuverteilen.")
    elif dots_on(participant, measure) >= forum.max_dots_per_measure:
        refusal = _l("Auf diese Maßnahme haben Sie schon die höchste Zahl an Punkten gesetzt.")
    if refusal is not None:
        db.session.rollback()
        raise VoteRefused(refusal)
    # The same tap arriving twice at once stores one dot: the twin's insert is dropped.
    insert_once(Vote(measure_id=measure.id, participant_id=participant.id, client_key=client_key))


def may_vote_on(participant: Participant, measure: Measure) -> bool:
    """Whether the participant may place a dot on the measure.

    In a forum: the visible measures of their own group. At the evaluation event: the visible
    measures of the same process that the planners adopted.
    """
    if not measure.visible:
        return False
    if participant.forum.kind == "evaluation":
        return (
            measure.decision == "adopt"
            and measure.group.forum.process_id == participant.forum.process_id
        )
    return measure.group_id == participant.group_id


def _hold_dots(participant: Participant) -> None:
    """Lock the participant's dots until this transaction ends."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        # Later statements run after the other tap's commit and see its dot (read committed).
        connection.execute(db.select(Participant.id).filter_by(id=participant.id).with_for_update())
    elif not connection.connection.dbapi_connection.in_transaction:
        # SQLite has no row locks and pysqlite begins only at the first write, after the counts:
        # take the database's write lock first (busy_timeout waits for it), so no tap counts stale.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def unvote(participant: Participant, measure: Measure) -> None:
    """Take one of the participant's dots back from a measure."""
    placed = db.session.execute(
        db.select(Vote).filter_by(participant_id=participant.id, measure_id=measure.id).limit(1)
    ).scalar_one_or_none()
    if placed is not None:
        db.session.delete(placed)
        db.session.commit()


def forum_vote():
    """SQL condition for a dot of the forums: on paper or from a forum's phone, not the event's.

    The Auswertungsveranstaltung's dots are the event's priority, counted on their own.
    """
    return or_(Vote.participant_id.is_(None), Vote.participant_id.not_in(_event_voters()))


def event_vote():
    """SQL condition for a dot placed at an Auswertungsveranstaltung."""
    return Vote.participant_id.in_(_event_voters())


def _event_voters():
    return (
        db.select(Participant.id)
        .join(Forum, Forum.id == Participant.forum_id)
        .where(Forum.kind == "evaluation")
    )


def ranking(group_id: int) -> list[tuple[Measure, int]]:
    """The group's visible measures with their dots (merged ones included), most dots first."""
    measures = list(
        db.session.execute(
            db.select(Measure)
            .filter_by(group_id=group_id, hidden=False, merged_into_id=None)
            .options(selectinload(Measure.merged))
            .order_by(Measure.created_at, Measure.id)
        ).scalars()
    )
    ids = [m.id for m in measures] + [child.id for m in measures for child in m.merged]
    dots = dict(
        db.session.execute(
            db.select(Vote.measure_id, func.count(Vote.id))
            .where(Vote.measure_id.in_(ids), forum_vote())
            .group_by(Vote.measure_id)
        ).all()
    )
    counted = [
        (m, dots.get(m.id, 0) + sum(dots.get(child.id, 0) for child in m.merged)) for m in measures
    ]
    return sorted(counted, key=lambda pair: -pair[1])
