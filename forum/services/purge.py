"""Delete participants' personal data after a forum: names and organisations go, results stay.

Goes: every participant's optional name and organisation, and the link from a phone to its
participant (the stored token hash is replaced by the hash of a token nobody holds), so that no
device can be tied to its cards any more and the rest is anonymous. Stays: organisation types
(the counts in the documentation), groups, cards, measures and dots. Moderator and planner
accounts are the office's own staff and are not touched. A purge also closes joining: a phone
whose link was cut would otherwise join again as a new participant.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select, update

from forum.database import erase_old_versions
from forum.extensions import db
from forum.models import Forum, Participant
from forum.models.common import utcnow
from forum.services.joining import new_token, token_hash

BERLIN = ZoneInfo("Europe/Berlin")


def _not_purged():
    """Participants whose personal data a purge has not yet removed (correlates with Forum)."""
    return or_(
        Forum.personal_data_purged_at.is_(None),
        Participant.joined_at > Forum.personal_data_purged_at,
        Participant.name.is_not(None),
        Participant.organisation.is_not(None),
    )


def purge_forum(forum: Forum, now: datetime | None = None) -> int:
    """Remove the forum's participants' names, organisations and phone links; return how many."""
    # Take the row lock every join takes first, so that nobody joins unseen during the purge.
    db.session.execute(
        update(Forum).where(Forum.id == forum.id).values(join_revision=Forum.join_revision + 1)
    )
    now = now or utcnow()
    people = db.session.execute(
        select(Participant).join(Forum).where(Participant.forum_id == forum.id, _not_purged())
    ).scalars()
    count = 0
    for person in people:
        person.name = person.organisation = None
        person.token_hash = token_hash(new_token())
        count += 1
    # Running it again changes nothing, not even the recorded time.
    if count or forum.personal_data_purged_at is None:
        forum.personal_data_purged_at = now
    forum.is_open = False
    db.session.commit()
    if count:
        # The rows' old versions, names included, would otherwise stay in the database's files.
        erase_old_versions(db.engine, Participant.__tablename__)
    return count


def forum_end(forum: Forum) -> datetime | None:
    """Return when the forum ended (naive UTC): its day's end in Berlin, or later activity."""
    moments = []
    if forum.date is not None:
        moments.append(_end_of_day(_last_day(forum)))
    if forum.phase_ends_at is not None:
        moments.append(forum.phase_ends_at)
    last_join = db.session.scalar(
        select(func.max(Participant.joined_at)).where(Participant.forum_id == forum.id)
    )
    if last_join is not None:
        moments.append(last_join)
    return max(moments, default=None)


def _last_day(forum: Forum) -> date:
    if forum.date_precision == "month":
        return forum.date.replace(day=monthrange(forum.date.year, forum.date.month)[1])
    return forum.date


def _end_of_day(day: date) -> datetime:
    return utc_time(datetime.combine(day + timedelta(days=1), time(0)))


def purge_due_at(forum: Forum) -> datetime | None:
    """Return when the automatic purge is due (naive UTC), or None if it never is."""
    end = forum_end(forum)
    if forum.purge_after_days is None or end is None:
        return None
    # Count calendar days on Berlin's clock, so that a change to winter time moves nothing.
    return utc_time(local_time(end) + timedelta(days=forum.purge_after_days))


def due_forums(now: datetime | None = None) -> list[Forum]:
    """Return the forums set to purge automatically whose time has come and that hold data."""
    now = now or utcnow()
    holding = exists().where(Participant.forum_id == Forum.id, _not_purged())
    candidates = db.session.execute(
        select(Forum).where(Forum.purge_after_days.is_not(None), holding)
    ).scalars()
    due = [(forum, purge_due_at(forum)) for forum in candidates]
    return [forum for forum, at in due if at is not None and at <= now]


def purge_due(now: datetime | None = None) -> list[tuple[Forum, int]]:
    """Purge every forum that is due; return each with the number of participants purged."""
    now = now or utcnow()
    return [(forum, purge_forum(forum, now)) for forum in due_forums(now)]


@dataclass
class PrivacyStatus:
    """What a planner needs to know about a forum's personal data."""

    participants: int  # everyone who joined
    pending: int  # participants whose personal data is still stored
    named: int  # of those, how many gave a name or organisation
    purged_at: datetime | None  # Berlin local time of the last purge
    due_at: datetime | None  # Berlin local time the automatic purge is due

    @property
    def clean(self) -> bool:
        """Purged, and nobody joined since."""
        return self.purged_at is not None and not self.pending


def privacy_status(forum: Forum) -> PrivacyStatus:
    """Count the forum's stored personal data and say when it was or will be purged."""
    base = select(func.count()).select_from(Participant).join(Forum)
    base = base.where(Participant.forum_id == forum.id)
    pending = base.where(_not_purged())
    named = pending.where(or_(Participant.name.is_not(None), Participant.organisation.is_not(None)))
    return PrivacyStatus(
        participants=db.session.scalar(base),
        pending=db.session.scalar(pending),
        named=db.session.scalar(named),
        purged_at=local_time(forum.personal_data_purged_at),
        due_at=local_time(purge_due_at(forum)),
    )


def utc_time(local: datetime) -> datetime:
    """Turn a naive Berlin wall-clock time into the naive UTC the database stores."""
    return local.replace(tzinfo=BERLIN).astimezone(UTC).replace(tzinfo=None)


def local_time(moment: datetime | None) -> datetime | None:
    """Turn a stored naive-UTC moment into naive Berlin time, as people there read clocks."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(BERLIN).replace(tzinfo=None)


def participant_list(forum: Forum) -> list[Participant]:
    """Return the forum's participants by group and arrival, for the planners' list."""
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.forum_id == forum.id)
            .order_by(Participant.group_id, Participant.joined_at, Participant.id)
        ).scalars()
    )
