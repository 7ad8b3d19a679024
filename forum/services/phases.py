"""The forum's work phases and their timer, counted in server time so every screen agrees.

The running phase decides what participants may do; moderators may always edit. The rules
follow the phase, not the clock: a phase that ran over still allows what it allowed, so a
group in overtime loses nothing until the planner moves on.
"""

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from forum.extensions import db
from forum.models import AgendaItem, Forum, Group
from forum.models.common import utcnow

# Cards are allowed in the warm-up too: the exchange on the target group already brings up
# strengths and problems, and a thought noted then belongs in the matrix rather than lost.
CARD_PHASES = frozenset({"warmup", "swot"})
MEASURE_PHASES = frozenset({"goals", "owners", "horizon"})
VOTE_PHASES = MEASURE_PHASES | {"plenum"}


def work_phases(forum: Forum) -> list[AgendaItem]:
    """Return the agenda items with a phase key, in agenda order."""
    found = []
    for item in forum.agenda:
        found.extend(entry for entry in [item, *item.phases] if entry.phase)
    return found


def ends_at(forum: Forum, group: Group | None = None) -> datetime | None:
    """Return when the running phase ends for a group (naive UTC), or None if none runs."""
    if forum.phase_item is None or forum.phase_ends_at is None:
        return None
    extra = group.extra_minutes if group is not None else 0
    return forum.phase_ends_at + timedelta(minutes=extra)


def state(forum, group=None, now=None) -> dict:
    """Describe the running phase for a group: key, title, seconds remaining."""
    end = ends_at(forum, group)
    item = forum.phase_item
    if end is None:
        return timer(None, "", None, now)
    return timer(item.phase, item.title, end, now)


def phone_timer(phone, now=None) -> dict:
    """Describe the running phase for a phone's group from its phone state (no objects)."""
    if phone.phase_item_id is None or phone.phase_ends_at is None:
        return timer(None, "", None, now)
    end = phone.phase_ends_at + timedelta(minutes=phone.extra_minutes)
    return timer(phone.phase, phone.phase_title, end, now)


def timer(phase: str | None, title: str, end: datetime | None, now=None) -> dict:
    """Describe a phase that ends at `end` (naive UTC; None: no phase runs) as the timers read it."""
    if end is None:
        return {
            "running": False,
            "phase": None,
            "title": "",
            "remaining": None,
            "remaining_ms": None,
            "ends_at": None,
            "overtime": False,
        }
    left = (end - (now or utcnow())).total_seconds()
    return {
        "running": True,
        "phase": phase,
        "title": title,
        # Rounded up, as a countdown shows it: 0 only once the time is really over.
        "remaining": max(0, math.ceil(left)),
        # Milliseconds let the script start its count on the exact sub-second.
        "remaining_ms": max(0, round(left * 1000)),
        "ends_at": end.replace(tzinfo=UTC).isoformat(),
        "overtime": left <= 0,
    }


def _running(forum) -> str | None:
    item = forum.phase_item
    return item.phase if item is not None and forum.phase_ends_at is not None else None


def may_add_cards(forum) -> bool:
    """Whether participants may add SWOT cards now."""
    return cards_open(_running(forum))


def cards_open(running_phase: str | None) -> bool:
    """Whether participants may add SWOT cards while this phase (None: no phase) runs."""
    return running_phase is None or running_phase in CARD_PHASES


def may_propose_measures(forum) -> bool:
    """Whether participants may propose goals and measures now."""
    phase = _running(forum)
    return phase is None or phase in MEASURE_PHASES


def may_vote(forum) -> bool:
    """Whether participants may place dots now."""
    phase = _running(forum)
    return phase is None or phase in VOTE_PHASES


def version_tag(phase_item_id: int | None, ends_at: datetime | None, extra_minutes: int) -> str:
    """Spell the running phase, its end and a group's extension for a live page's version.

    They open and close forms and set the timer, so a page must fetch again when they change.
    """
    if phase_item_id is None or ends_at is None:
        return "f0"
    return f"f{phase_item_id}e{(ends_at - _EPOCH) // timedelta(milliseconds=1)}x{extra_minutes}"


def group_tag(forum: Forum, group: Group) -> str:
    """The version_tag of a forum's running phase for one of its groups."""
    return version_tag(forum.phase_item_id, forum.phase_ends_at, group.extra_minutes)


_EPOCH = datetime(1970, 1, 1)


def phase_minutes(forum: Forum, item: AgendaItem) -> int:
    """Return the length of a phase; a per-group phase (the plenum) counts every group."""
    minutes = item.minutes or 0
    return minutes * max(1, len(forum.groups)) if item.per_group else minutes


def start(forum: Forum, item: AgendaItem, now: datetime | None = None) -> None:
    """Run a work phase of the forum from now on for all its groups."""
    if item.forum_id != forum.id or not item.phase:
        raise ValueError("not a work phase of this forum")
    forum.phase_item = item
    forum.phase_ends_at = (now or utcnow()) + timedelta(minutes=phase_minutes(forum, item))
    _new_phase_for_groups(forum)


def advance(forum: Forum, now: datetime | None = None) -> AgendaItem | None:
    """Start the next work phase (the first if none runs); stop after the last one."""
    items = work_phases(forum)
    position = items.index(forum.phase_item) + 1 if forum.phase_item in items else 0
    following = items[position:]
    if not following:
        stop(forum)
        return None
    start(forum, following[0], now)
    return following[0]


def stop(forum: Forum) -> None:
    """End the running phase; with no phase running everything is allowed again."""
    forum.phase_item = None
    forum.phase_ends_at = None
    _new_phase_for_groups(forum)


def _new_phase_for_groups(forum: Forum) -> None:
    # Extensions belong to one phase. The phase and the extension are part of every live page's
    # version (forum.services.phases.version_tag), so phones fetch their board again.
    for group in forum.groups:
        group.extra_minutes = 0
    db.session.commit()


def extend(group: Group, minutes: int = 5) -> bool:
    """Give one group more time in the running phase; False when no phase runs."""
    if _running(group.forum) is None:
        return False
    # Added in SQL so that two quick presses add twice instead of overwriting each other.
    db.session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(extra_minutes=Group.extra_minutes + minutes)
    )
    db.session.commit()
    db.session.refresh(group)
    return True
