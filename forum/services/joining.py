"""Joining a forum from a phone: find the forum, assign a group, recognise the phone again."""

import hashlib
import re
import secrets
from collections import Counter
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import AgendaItem, Forum, Group, Participant
from forum.services import assignment, changes

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


class ForumFull(Exception):
    """Every room of the forum is at capacity, or the forum has no groups yet."""


class TokenElsewhere(Exception):
    """The join form's token already belongs to a participant of another forum."""


def new_token() -> str:
    """Return a fresh participant token with 128 random bits."""
    return secrets.token_urlsafe(16)


def valid_token(token: str | None) -> bool:
    """Tell whether a token has the shape new_token produces."""
    return bool(token and _TOKEN.match(token))


def token_hash(token: str) -> str:
    """Hash a token for storage, so a database leak does not leak sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


def forum_by_code(code: str, *, open_only: bool) -> Forum | None:
    """Find a forum by its join code; closed forums count as missing when open_only."""
    if not valid_token(code):
        return None
    forum = db.session.execute(db.select(Forum).filter_by(join_code=code)).scalar_one_or_none()
    if forum is None or (open_only and not forum.is_open):
        return None
    return forum


def participant_by_token(forum: Forum, token: str | None) -> Participant | None:
    """Find the participant a phone's token belongs to in this forum."""
    if not valid_token(token):
        return None
    return db.session.execute(
        db.select(Participant).filter_by(forum_id=forum.id, token_hash=token_hash(token))
    ).scalar_one_or_none()


def participant_by_code(code: str, tokens: dict[str, str]) -> Participant | None:
    """Find the participant, with its forum, that the phone holding `tokens` is in this forum.

    `tokens` maps forum ids to the phone's tokens, as the session keeps them. One query finds
    what participant_by_token(forum_by_code(code, open_only=False), token) finds in two.
    """
    hashes = _held_hashes(code, tokens)
    if not hashes:
        return None
    query = (
        db.select(Participant)
        .join(Participant.forum)
        .options(contains_eager(Participant.forum))
        .where(Forum.join_code == code, Participant.token_hash.in_(hashes))
    )
    for participant in db.session.execute(query).scalars():
        if _holds(tokens, participant.forum_id, participant.token_hash):
            return participant
    return None


def _held_hashes(code: str, tokens: dict[str, str]) -> list[str]:
    if not valid_token(code):
        return []
    return [token_hash(token) for token in tokens.values() if valid_token(token)]


def _holds(tokens: dict[str, str], forum_id: int, stored_hash: str) -> bool:
    # The token must be the one the session keeps for this very forum.
    held = tokens.get(str(forum_id))
    return bool(held) and token_hash(held) == stored_hash


class PhoneState(NamedTuple):
    """What the hot requests of a joined phone need, read as plain values."""

    participant_id: int
    forum_id: int
    group_id: int
    # The group's board version (forum.services.changes).
    version: str
    # Minutes the moderator added to the running phase for this group.
    extra_minutes: int
    phase_item_id: int | None
    phase_ends_at: datetime | None
    # The key of the running phase ("swot", …), None while no phase runs.
    phase: str | None
    # The forum's kind: "forum", or "evaluation" (the Auswertungsveranstaltung takes no cards).
    kind: str = "forum"
    # The running phase's title, for the timer.
    phase_title: str = ""

    @property
    def stamp(self) -> tuple:
        """What the group's board and timer look like: a held poll waits until this changes."""
        return (self.version, self.extra_minutes, self.phase_item_id, self.phase_ends_at)


_PARTICIPANTS, _FORUMS, _GROUPS = Participant.__table__, Forum.__table__, Group.__table__
_PHASE_ITEMS = AgendaItem.__table__


def _stamp_columns(group_id) -> tuple:
    """The columns of a group's stamp, in PhoneState.stamp's order (version, extra, phase)."""
    return (
        changes.version_of(group_id),
        _GROUPS.c.extra_minutes,
        _FORUMS.c.phase_item_id,
        _FORUMS.c.phase_ends_at,
    )


# The only query of a board poll and of a card post: no object loaded, nothing to track.
_PHONE_STATE_COLUMNS = (
    select(
        _PARTICIPANTS.c.id,
        _PARTICIPANTS.c.forum_id,
        _PARTICIPANTS.c.group_id,
        _PARTICIPANTS.c.token_hash,
        *_stamp_columns(_PARTICIPANTS.c.group_id),
        _PHASE_ITEMS.c.phase,
        _FORUMS.c.kind,
        _PHASE_ITEMS.c.title,
    )
    .select_from(_PARTICIPANTS)
    .join(_FORUMS, _FORUMS.c.id == _PARTICIPANTS.c.forum_id)
    .join(_GROUPS, _GROUPS.c.id == _PARTICIPANTS.c.group_id)
    .outerjoin(_PHASE_ITEMS, _PHASE_ITEMS.c.id == _FORUMS.c.phase_item_id)
    .where(_FORUMS.c.join_code == bindparam("code"))
)
# The same stamp per group, for the held polls' watch (forum/held_polls.py).
_GROUP_STAMPS = (
    select(_GROUPS.c.id, *_stamp_columns(_GROUPS.c.id))
    .join(_FORUMS, _FORUMS.c.id == _GROUPS.c.forum_id)
    .where(_GROUPS.c.id.in_(bindparam("ids", expanding=True)))
)
# Nearly every phone holds one token: a plain comparison (it is the only query of a board
# poll); a phone that joined several forums takes the expanding IN.
_PHONE_STATE_ONE = _PHONE_STATE_COLUMNS.where(_PARTICIPANTS.c.token_hash == bindparam("hash"))
_PHONE_STATE_ANY = _PHONE_STATE_COLUMNS.where(
    _PARTICIPANTS.c.token_hash.in_(bindparam("hashes", expanding=True))
)


def phone_state(connection: Connection, code: str, tokens: dict[str, str]) -> PhoneState | None:
    """Return the state of the participant the phone holding `tokens` is in this forum, or None.

    `tokens` maps forum ids to the phone's tokens, as the session keeps them; the participant
    is the one participant_by_code finds, read in one query on a connection outside the ORM.
    """
    hashes = _held_hashes(code, tokens)
    if not hashes:
        return None
    if len(hashes) == 1:
        found = connection.execute(_PHONE_STATE_ONE, {"code": code, "hash": hashes[0]}).all()
    else:
        found = connection.execute(_PHONE_STATE_ANY, {"code": code, "hashes": hashes}).all()
    for row in map(_PhoneRow._make, found):
        if _holds(tokens, row.forum_id, row.token_hash):
            running = None if row.phase_item_id is None or row.phase_ends_at is None else row.phase
            return PhoneState(
                row.id,
                row.forum_id,
                row.group_id,
                row.version,
                row.extra_minutes,
                row.phase_item_id,
                row.phase_ends_at,
                running,
                row.kind,
                row.phase_title or "",
            )
    return None


def group_stamps(connection: Connection, group_ids: list[int]) -> dict[int, tuple]:
    """Return each group's stamp, as PhoneState.stamp spells it for a phone in that group."""
    return {row[0]: tuple(row[1:]) for row in connection.execute(_GROUP_STAMPS, {"ids": group_ids})}


class _PhoneRow(NamedTuple):
    """A row of the phone state query, in its column order."""

    id: int
    forum_id: int
    group_id: int
    token_hash: str
    version: str
    extra_minutes: int
    phase_item_id: int | None
    phase_ends_at: datetime | None
    phase: str | None
    kind: str
    phase_title: str | None


def join(forum: Forum, token: str, org_type: str, name: str = "", organisation: str = ""):
    """Add a participant to the group the assignment service picks; a repeated token joins once."""
    # Take the forum's row lock first so that concurrent joins see each other's counts.
    db.session.execute(
        update(Forum).where(Forum.id == forum.id).values(join_revision=Forum.join_revision + 1)
    )
    # Tokens are unique across forums: a form sent on to another forum must not reach the insert.
    existing = db.session.execute(
        db.select(Participant).filter_by(token_hash=token_hash(token))
    ).scalar_one_or_none()
    if existing is not None and existing.forum_id != forum.id:
        db.session.rollback()
        raise TokenElsewhere
    if existing is not None:
        db.session.commit()
        return existing
    states = group_states(forum)
    chosen = assignment.choose_group(states, room_capacities(forum), org_type)
    if chosen is None:
        db.session.rollback()
        raise ForumFull
    participant = Participant(
        forum_id=forum.id,
        group_id=chosen.id,
        token_hash=token_hash(token),
        org_type=org_type,
        name=name.strip() or None,
        organisation=organisation.strip() or None,
    )
    db.session.add(participant)
    db.session.commit()
    return participant


def group_states(forum: Forum) -> list[assignment.GroupState]:
    """Describe the forum's groups and their members for the assignment service."""
    counts = db.session.execute(
        db.select(Participant.group_id, Participant.org_type, func.count())
        .filter_by(forum_id=forum.id)
        .group_by(Participant.group_id, Participant.org_type)
    ).all()
    members: dict[int, Counter] = {}
    for group_id, org_type, count in counts:
        members.setdefault(group_id, Counter())[org_type] = count
    return [
        assignment.GroupState(
            id=group.id,
            room=_room_key(group),
            position=group.position,
            members=members.get(group.id, Counter()),
        )
        for group in forum.groups
    ]


def _room_key(group: Group) -> str:
    # Room names are unique within a forum and read well in "Raum E05 ist voll."
    return group.room.name if group.room else f"ohne Raum ({group.name})"


def room_capacities(forum: Forum) -> dict[str, int | None]:
    """Map each room name used in group_states to its capacity."""
    return {room.name: room.capacity for room in forum.rooms}


def move_participant(participant: Participant, target: Group) -> None:
    """Move a participant to another group of the same forum, respecting room capacity."""
    forum = participant.forum
    if target.forum_id != forum.id:
        raise assignment.UnknownGroup("Die Gruppe gehört nicht zu diesem Forum.")
    assignment.move(
        group_states(forum),
        room_capacities(forum),
        participant.org_type,
        participant.group_id,
        target.id,
    )
    participant.group_id = target.id
    db.session.commit()
