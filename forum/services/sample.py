"""Fill a forum with the sample results in seed/sample/, so a newcomer sees a finished forum."""

import tomllib
from pathlib import Path

from forum.extensions import db
from forum.models import Card, Forum, Measure, Participant, Vote
from forum.services.joining import new_token, token_hash


def load_sample(path: str | Path) -> int:
    """Add the sample cards and measures to every group that has no cards yet; return cards added."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    forum = db.session.execute(db.select(Forum).filter_by(slug=data["forum"])).scalar_one()
    groups = {group.name: group for group in forum.groups}
    added = 0
    for spec in data["group"]:
        group = groups[spec["name"]]
        if db.session.execute(db.select(Card.id).filter_by(group_id=group.id).limit(1)).first():
            continue
        added += _fill_group(forum, group, spec)
    db.session.commit()
    return added


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
    group.revision += 1
    return len(cards)


def _person(people, index):
    return people[index - 1] if index else None
