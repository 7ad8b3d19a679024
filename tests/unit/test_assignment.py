"""Tests for the online group assignment in forum.services.assignment."""

from __future__ import annotations

import copy
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.services.assignment import (
    ORG_TYPES,
    AssignmentError,
    GroupState,
    RoomFull,
    UnknownGroup,
    assign,
    choose_group,
    has_room,
    move,
    room_occupancy,
)

ROOMS = ("E05", "5/501", "4/402b")
FT, VOL, MIG, ADM, OTH = ORG_TYPES

# database=None keeps hypothesis from writing an example database into the repo.
PROPERTY = settings(max_examples=200, deadline=None, database=None)


# --- helpers ---------------------------------------------------------------------------------


def seed_groups() -> list[GroupState]:
    """Return the seed forum's groups: Orange, Rot (sharing E05), Blau, Grün."""
    return [
        GroupState(id=1, room="E05", position=0),  # Orange
        GroupState(id=2, room="E05", position=1),  # Rot
        GroupState(id=3, room="5/501", position=2),  # Blau
        GroupState(id=4, room="4/402b", position=3),  # Grün
    ]


def by_id(groups: list[GroupState]) -> dict[int, GroupState]:
    return {g.id: g for g in groups}


def occupancy(groups: list[GroupState]) -> Counter[str]:
    # Independent of room_occupancy so the properties do not trust the module under test.
    counts: Counter[str] = Counter()
    for g in groups:
        counts[g.room] += sum(g.members.values())
    return counts


def eligible(groups: list[GroupState], capacities: dict[str, int | None]) -> list[GroupState]:
    occ = occupancy(groups)
    return [g for g in groups if capacities.get(g.room) is None or occ[g.room] < capacities[g.room]]


def snapshot(groups: list[GroupState]) -> list[tuple[int, dict[str, int]]]:
    return [(g.id, {t: n for t, n in g.members.items() if n}) for g in groups]


def expected_choice(
    groups: list[GroupState], capacities: dict[str, int | None], org_type: str
) -> GroupState | None:
    """Spell out rules 1-4 literally, with exact fractions for the means."""
    candidates = eligible(groups, capacities)
    if not candidates:
        return None
    min_size = min(sum(g.members.values()) for g in candidates)
    candidates = [g for g in candidates if sum(g.members.values()) == min_size]
    min_count = min(g.members[org_type] for g in candidates)
    candidates = [g for g in candidates if g.members[org_type] == min_count]
    types = {t for g in groups for t in g.members}
    mean = {t: Fraction(sum(g.members[t] for g in groups), len(groups)) for t in types}

    def score(g: GroupState) -> Fraction:
        return sum((max(Fraction(0), g.members[t] - mean[t]) ** 2 for t in types), Fraction(0))

    best = min(score(g) for g in candidates)
    candidates = [g for g in candidates if score(g) == best]
    return min(candidates, key=lambda g: (g.position, g.id))


# --- strategies ------------------------------------------------------------------------------

org_types = st.sampled_from(ORG_TYPES)
arrivals = st.lists(org_types, max_size=40)
capacity_maps = st.dictionaries(st.sampled_from(ROOMS), st.none() | st.integers(0, 8))


@st.composite
def forums(draw, members: bool = False) -> list[GroupState]:
    """Draw 1-6 groups; rooms are shared, positions may collide, ids come in any order."""
    n = draw(st.integers(1, 6))
    ids = draw(st.permutations(range(1, n + 1)))
    groups = []
    for group_id in ids:
        counts = (
            draw(st.dictionaries(org_types | st.just("presse"), st.integers(0, 4)))
            if members
            else {}
        )
        groups.append(
            GroupState(
                id=group_id,
                room=draw(st.sampled_from(ROOMS)),
                position=draw(st.integers(0, 3)),
                members=Counter(counts),
            )
        )
    return groups


# --- properties over arbitrary arrival orders ------------------------------------------------


@PROPERTY
@given(forums(), arrivals)
def test_without_capacity_limits_sizes_differ_by_at_most_one(groups, arriving):
    for accepted, org_type in enumerate(arriving, start=1):
        assert assign(groups, {}, org_type) is not None
        sizes = [g.size for g in groups]
        assert max(sizes) - min(sizes) <= 1
        assert sum(sizes) == accepted


@PROPERTY
@given(forums(), capacity_maps, arrivals)
def test_every_arrival_follows_the_rules(groups, capacities, arriving):
    accepted = 0
    for org_type in arriving:
        before = snapshot(groups)
        candidates = eligible(groups, capacities)
        chosen = choose_group(groups, capacities, org_type)
        assert snapshot(groups) == before, "choose_group must not mutate"

        if chosen is None:
            assert candidates == []
            assert assign(groups, capacities, org_type) is None
            assert snapshot(groups) == before
        else:
            assert any(chosen is g for g in candidates)
            min_size = min(g.size for g in candidates)
            assert chosen.size == min_size
            smallest = [g for g in candidates if g.size == min_size]
            assert chosen.members[org_type] == min(g.members[org_type] for g in smallest)
            assert assign(groups, capacities, org_type) is chosen
            accepted += 1

        occ = occupancy(groups)
        for room, capacity in capacities.items():
            if capacity is not None:
                assert occ[room] <= capacity
        assert sum(g.size for g in groups) == accepted


@PROPERTY
@given(forums(), capacity_maps, arrivals)
def test_same_arrivals_give_same_groups(groups, capacities, arriving):
    first, second = copy.deepcopy(groups), copy.deepcopy(groups)
    ids_first = [getattr(assign(first, capacities, t), "id", None) for t in arriving]
    ids_second = [getattr(assign(second, capacities, t), "id", None) for t in arriving]
    assert ids_first == ids_second
    assert snapshot(first) == snapshot(second)


@PROPERTY
@given(forums(members=True), capacity_maps, org_types | st.just("presse"), st.randoms())
def test_choose_group_applies_all_tie_breaks_on_any_state(groups, capacities, org_type, rnd):
    expected = expected_choice(groups, capacities, org_type)
    chosen = choose_group(groups, capacities, org_type)
    assert getattr(chosen, "id", None) == getattr(expected, "id", None)
    # The list order handed in by the database must not matter.
    shuffled = list(groups)
    rnd.shuffle(shuffled)
    again = choose_group(shuffled, capacities, org_type)
    assert getattr(again, "id", None) == getattr(chosen, "id", None)


@PROPERTY
@given(
    forums(members=True),
    capacity_maps,
    st.lists(st.tuples(org_types, st.integers(1, 6), st.integers(1, 6)), max_size=20),
)
def test_moves_keep_the_total_and_never_overfill_a_room(groups, capacities, moves):
    total = sum(g.size for g in groups)
    for org_type, from_id, to_id in moves:
        before = snapshot(groups)
        full_before = {
            r for r, c in capacities.items() if c is not None and occupancy(groups)[r] > c
        }
        try:
            move(groups, capacities, org_type, from_id, to_id)
        except AssignmentError:
            assert snapshot(groups) == before
        occ = occupancy(groups)
        for room, capacity in capacities.items():
            # Drawn states may start over capacity; a move must never make that worse.
            if capacity is not None and room not in full_before:
                assert occ[room] <= capacity
        assert sum(g.size for g in groups) == total


# --- concrete cases --------------------------------------------------------------------------


def test_seed_forum_mixes_eight_full_time_and_eight_volunteers_evenly():
    groups = seed_groups()
    for org_type in [FT] * 8 + [VOL] * 8:
        assign(groups, {}, org_type)
    for g in groups:
        assert g.members == Counter({FT: 2, VOL: 2})


def test_first_two_arrivals_land_in_different_groups():
    groups = seed_groups()
    first = assign(groups, {}, FT)
    second = assign(groups, {}, FT)
    assert first is not second


def test_arrival_avoids_group_that_already_has_its_type():
    groups = seed_groups()[:2]
    assert assign(groups, {}, FT).id == 1
    assert assign(groups, {}, VOL).id == 2
    # Both have one member; the Hauptamt person goes where no Hauptamt is yet,
    # even though group 1 comes first.
    assert assign(groups, {}, FT).id == 2
    assert assign(groups, {}, VOL).id == 1
    assert [g.members for g in groups] == [Counter({FT: 1, VOL: 1})] * 2


def test_size_outranks_org_type():
    small = GroupState(id=1, room="E05", members=Counter({FT: 1}))
    large = GroupState(id=2, room="E05", members=Counter({VOL: 2}))
    assert choose_group([large, small], {}, FT) is small


def test_tie_goes_to_the_least_lopsided_group():
    lopsided = GroupState(id=1, room="E05", position=0, members=Counter({FT: 2}))
    spread = GroupState(id=2, room="E05", position=1, members=Counter({VOL: 1, MIG: 1}))
    mixed = GroupState(id=3, room="E05", position=2, members=Counter({FT: 1, VOL: 1}))
    # The lopsided and the rare-type groups are left for arrivals that balance them.
    assert choose_group([lopsided, spread, mixed], {}, OTH) is mixed


def test_lopsidedness_is_measured_against_all_groups_even_full_ones():
    full = GroupState(id=1, room="E05", position=2, members=Counter({FT: 4}))
    has_full_time = GroupState(id=2, room="5/501", position=0, members=Counter({FT: 1}))
    has_volunteer = GroupState(id=3, room="5/501", position=1, members=Counter({VOL: 1}))
    groups = [full, has_full_time, has_volunteer]
    # Across the whole forum Hauptamt is plentiful, so one Hauptamt person is not
    # over-represented, whereas one Ehrenamt person is: the newcomer joins the Hauptamt
    # group and leaves the Ehrenamt group for the Hauptamt arrivals still to come.
    assert choose_group(groups, {"E05": 4}, MIG) is has_full_time


def test_position_then_id_break_remaining_ties():
    groups = [
        GroupState(id=1, room="E05", position=2),
        GroupState(id=2, room="E05", position=0),
        GroupState(id=3, room="E05", position=1),
    ]
    assert choose_group(groups, {}, FT).id == 2
    same_position = [GroupState(id=i, room="E05", position=5) for i in (3, 1, 2)]
    assert choose_group(same_position, {}, FT).id == 1


def test_shared_room_fills_and_next_arrival_goes_elsewhere():
    groups = seed_groups()[:3]  # Orange and Rot share E05, Blau is in 5/501
    capacities = {"E05": 3}
    chosen = [assign(groups, capacities, FT).id for _ in range(4)]
    assert chosen == [1, 2, 3, 1]
    assert room_occupancy(groups)["E05"] == 3
    assert not has_room(groups[1], groups, capacities)
    assert [assign(groups, capacities, VOL).id for _ in range(2)] == [3, 3]
    assert room_occupancy(groups)["E05"] == 3


def test_late_joiner_goes_to_a_group_with_space_even_if_others_are_smaller():
    orange, rot, blau = seed_groups()[:3]
    orange.members.update({FT: 2})
    rot.members.update({VOL: 1})
    blau.members.update({FT: 1, VOL: 2})
    groups, capacities = [orange, rot, blau], {"E05": 3, "5/501": None}
    assert choose_group(groups, capacities, MIG) is blau
    # Once another seat opens in E05, the smallest group gets the next person.
    capacities["E05"] = 4
    assert assign(groups, capacities, MIG) is rot


def test_none_when_every_room_is_full_and_nothing_changes():
    groups = seed_groups()
    capacities = {"E05": 0, "5/501": 1, "4/402b": 1}
    assert [assign(groups, capacities, FT).id for _ in range(2)] == [3, 4]
    assert choose_group(groups, capacities, VOL) is None
    assert assign(groups, capacities, VOL) is None
    assert sum(g.size for g in groups) == 2


def test_empty_forum_has_no_group():
    assert choose_group([], {}, FT) is None
    assert assign([], {}, FT) is None


def test_unknown_org_type_is_counted_as_its_own_type():
    groups = seed_groups()[:2]
    assign(groups, {}, "presse")
    assert assign(groups, {}, "presse").id == 2
    assert [g.members["presse"] for g in groups] == [1, 1]


def test_has_room_treats_missing_and_none_as_unlimited():
    group = GroupState(id=1, room="E05", members=Counter({FT: 50}))
    assert has_room(group, [group], {})
    assert has_room(group, [group], {"E05": None})
    assert not has_room(group, [group], {"E05": 50})
    assert has_room(group, [group], {"E05": 51})
    assert not has_room(GroupState(id=2, room="5/501"), [], {"5/501": 0})


def test_room_occupancy_sums_groups_sharing_a_room():
    orange, rot, blau, _ = seed_groups()
    orange.members.update({FT: 2})
    rot.members.update({VOL: 1, ADM: 1})
    blau.members.update({MIG: 1})
    assert room_occupancy([orange, rot, blau]) == Counter({"E05": 4, "5/501": 1})


def test_move_updates_both_groups():
    groups = seed_groups()
    groups[0].members.update({FT: 2, VOL: 1})
    move(groups, {}, FT, 1, 3)
    assert groups[0].members == Counter({FT: 1, VOL: 1})
    assert groups[2].members == Counter({FT: 1})


def test_move_into_full_room_raises_room_full():
    groups = seed_groups()
    groups[0].members.update({FT: 1})
    groups[2].members.update({VOL: 2})
    with pytest.raises(RoomFull, match="Raum 5/501 ist voll"):
        move(groups, {"5/501": 2}, FT, 1, 3)
    assert groups[0].members == Counter({FT: 1})
    assert groups[2].members == Counter({VOL: 2})


def test_move_within_a_full_room_never_raises():
    groups = seed_groups()
    groups[0].members.update({FT: 2})
    groups[1].members.update({VOL: 1})
    move(groups, {"E05": 3}, FT, 1, 2)
    move(groups, {"E05": 0}, VOL, 2, 1)  # even if the room is somehow over capacity
    assert groups[0].members == Counter({FT: 1, VOL: 1})
    assert groups[1].members == Counter({FT: 1})


def test_move_out_of_a_full_room_frees_a_place():
    groups = seed_groups()
    groups[0].members.update({FT: 2})
    capacities = {"E05": 2}
    assert not has_room(groups[1], groups, capacities)
    move(groups, capacities, FT, 1, 4)
    assert has_room(groups[1], groups, capacities)


@pytest.mark.parametrize(("from_id", "to_id"), [(99, 1), (1, 99), (99, 99)])
def test_move_with_unknown_group_raises(from_id, to_id):
    groups = seed_groups()
    groups[0].members.update({FT: 1})
    with pytest.raises(UnknownGroup):
        move(groups, {}, FT, from_id, to_id)
    assert groups[0].members == Counter({FT: 1})


def test_move_to_same_group_is_a_no_op():
    groups = seed_groups()
    groups[0].members.update({FT: 1})
    move(groups, {"E05": 0}, FT, 1, 1)
    move(groups, {}, VOL, 1, 1)
    assert groups[0].members == Counter({FT: 1})


def test_move_of_absent_org_type_is_refused():
    groups = seed_groups()
    groups[0].members.update({VOL: 1})
    with pytest.raises(AssignmentError):
        move(groups, {}, FT, 1, 2)
    assert [g.size for g in groups] == [1, 0, 0, 0]
