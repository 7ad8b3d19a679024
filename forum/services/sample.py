"""Fill a forum with the sample results in seed/sample/, so a newcomer sees a finished forum.

A sample file names its forum and, per group, the cards and measures. For a forum whose groups
the seed does not know, the file brings them too: rooms under [[room]], and `colour` and `room`
for each [[group]].
"""

import tomllib
from pathlib import Path

from forum.extensions import db
from forum.models import Card, Forum, Group, Measure, Participant, Room, Vote
from forum.services.joining import new_token, token_hash
from forum.services.seed_schema import ForumSpec, SeedFile


def _read(path: str | Path) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def with_sample_groups(seed: SeedFile, path: str | Path, existing_only: bool = False) -> SeedFile:
    """The seed with the groups and rooms the sample file brings for its forum.

    Loading the seed again then keeps those groups instead of refusing to drop groups with
    results. `existing_only` adds only groups the database already has (a demo without samples
    on a database that once got them).
    """
    data = _read(path)
    forums = []
    for forum_spec in seed.forum:
        if forum_spec.slug == data["forum"]:
            forum_spec = _add_groups(forum_spec, data, existing_only)
        forums.append(forum_spec)
    return seed.model_copy(update={"forum": forums})


def _add_groups(spec: ForumSpec, data: dict, existing_only: bool) -> ForumSpec:
    known = {group.name for group in spec.group}
    existing = set(
        db.session.execute(
            db.select(Group.name).join(Forum).where(Forum.slug == spec.slug)
        ).scalars()
    )
    new = [
        {"name": g["name"], "colour": g["colour"], "room": g["room"]}
        for g in data["group"]
        if "room" in g and g["name"] not in known and (g["name"] in existing or not existing_only)
    ]
    if not new:
        return spec
    raw = spec.model_dump()
    rooms = {room["name"] for room in raw["room"]}
    raw["room"] += [room for room in data.get("room", []) if room["name"] not in rooms]
    raw["group"] += new
    return ForumSpec.model_validate(raw)


def load_sample(path: str | Path) -> int:
    """Add the sample cards and measures to every group that has no cards yet; return cards added.

    A group the forum does not have yet is created with the sample's colour and room.
    """
    data = _read(path)
    forum = db.session.execute(db.select(Forum).filter_by(slug=data["forum"])).scalar_one()
    groups = {group.name: group for group in forum.groups}
    added = 0
    for spec in data["group"]:
        group = groups.get(spec["name"]) or _new_group(forum, spec, data.get("room", []))
        if db.session.execute(db.select(Card.id).filter_by(group_id=group.id).limit(1)).first():
            continue
        added += _fill_group(forum, group, spec)
    db.session.commit()
    return added


def _new_group(forum: Forum, spec: dict, rooms: list[dict]) -> Group:
    room = next((r for r in forum.rooms if r.name == spec["room"]), None)
    if room is None:
        capacity = next((r.get("capacity") for r in rooms if r["name"] == spec["room"]), None)
        room = Room(name=spec["room"], capacity=capacity)
        forum.rooms.append(room)
    group = Group(name=spec["name"], colour=spec["colour"], room=room, position=len(forum.groups))
    forum.groups.append(group)
    db.session.flush()
    return group


def _fill_group(forum, group, spec) -> int:
    people = [
        Participant(
            forum_id=forum.id,
            group_id=group.id,
            org_type=org_type,
            token_hash=token_hash(new_token()),
        )
        for org_type in spec.get("participants", [])
    ]
    db.session.add_all(people)
    db.session.flush()
    cards = [
        Card(
            group_id=group.id,
            quadrant=c["quadrant"],
            text=c["text"],
            participant=_person(people, c.get("author")),
        )
        for c in spec.get("card", [])
    ]
    db.session.add_all(cards)
    goals = forum.process.guiding_goals
    for m in spec.get("measure", []):
        measure = Measure(
            group_id=group.id,
            goal=m["goal"],
            title=m["measure"],
            owner=m.get("owner", ""),
            method=m.get("method", ""),
            horizon=m.get("horizon") or None,
            indicator=m.get("indicator", ""),
            guiding_goal=goals[m["guiding_goal"] - 1] if m.get("guiding_goal") else None,
            cards=[cards[i - 1] for i in m.get("answers", [])],
        )
        proposer = _person(people, m.get("proposed_by"))
        measure.participant_id = proposer.id if proposer else None
        # Dots from the paper round are not tied to a phone.
        measure.votes = [Vote() for _ in range(m.get("votes", 0))]
        db.session.add(measure)
        db.session.flush()
    return len(cards)


def _person(people, index):
    return people[index - 1] if index else None
