"""Moving participants between groups through the database-backed service."""

import pytest

from forum.extensions import db
from forum.models import Participant
from forum.services import assignment, joining


def test_moving_a_participant_changes_their_group_card(make_forum, join_as_participant):
    forum = make_forum()
    phone, participant = join_as_participant(forum, org_type="volunteer")
    target = next(group for group in forum.groups if group.id != participant.group_id)
    joining.move_participant(participant, target)
    page = phone.get(f"/j/{forum.join_code}/group").text
    assert f"<strong>{target.name}</strong>" in page


def test_moving_into_a_full_room_is_refused_and_changes_nothing(make_forum, join_as_participant):
    groups = [
        ("Orange", "#E8710A", "E05", "beitz", "Hr. Beitz"),
        ("Blau", "#1F5FBF", "5/501", "bidell", "Fr. Bidell"),
    ]
    forum = make_forum(groups=groups, capacities={"5/501": 1})
    _, first = join_as_participant(forum, org_type="full_time")
    _, second = join_as_participant(forum, org_type="full_time")
    in_e05, in_501 = sorted([first, second], key=lambda p: p.group.room.name != "E05")
    blau = in_501.group
    with pytest.raises(assignment.RoomFull, match="5/501"):
        joining.move_participant(in_e05, blau)
    db.session.refresh(in_e05)
    assert in_e05.group.name == "Orange"


def test_moving_to_a_group_of_another_forum_is_refused(make_forum, join_as_participant):
    forum, other = make_forum(), make_forum()
    _, participant = join_as_participant(forum)
    with pytest.raises(assignment.UnknownGroup):
        joining.move_participant(participant, other.groups[0])
    assert db.session.get(Participant, participant.id).group.forum_id == forum.id
