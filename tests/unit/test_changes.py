"""The board change log: versions, what changed since one, and when to send the whole list."""

from sqlalchemy import delete, insert

from forum.extensions import db
from forum.models import BoardChange, Card, Vote
from forum.services import cards, changes, duplicates, moderation, voting
from tests import dbutil
from tests.conftest import create_forum


def new_card(group_id, text="Sprachcafé", key=None):
    return cards.store_card(group_id, "strength", text, key or f"key-{text}")


def test_a_group_without_changes_is_at_version_zero(make_forum):
    group = make_forum().groups[0]
    assert changes.version(group.id) == "0.0"
    assert changes.since(group.id, "0.0", "card") == set()


def test_added_edited_and_deleted_cards_are_named_since_a_version(make_forum):
    forum = make_forum()
    group, other = forum.groups[:2]
    kept, edited, deleted = (new_card(group.id, text) for text in ("Eins", "Zwei", "Drei"))
    token = changes.version(group.id)
    assert changes.since(group.id, token, "card") == set()
    added = new_card(group.id, "Vier")
    cards.edit_card(edited, "Zwei, geändert", "weakness", edited.version)
    deleted_id = deleted.id
    cards.delete_card(deleted)
    new_card(other.id, "Andere Gruppe")
    assert changes.since(group.id, token, "card") == {added.id, edited.id, deleted_id}
    assert kept.id not in changes.since(group.id, token, "card")
    assert changes.since(group.id, token, "measure") == set()
    assert changes.version(group.id) != token


def test_a_hidden_or_merged_card_is_a_change(make_forum):
    group = make_forum().groups[0]
    keep, twin, rude = (new_card(group.id, text) for text in ("Gut", "Gut!", "Unsinn"))
    token = changes.version(group.id)
    moderation.merge_cards([keep, twin])
    moderation.set_hidden(rude, True)
    assert changes.since(group.id, token, "card") == {keep.id, twin.id, rude.id}


def test_dots_change_their_measure_and_the_one_it_is_merged_into(make_forum):
    group = make_forum().groups[0]
    first = moderation.add_measure(group.id, "", "Sprachcafé", "m1")
    second = moderation.add_measure(group.id, "", "Sprachcafé im Stadtteil", "m2")
    token = changes.version(group.id)
    db.session.add(Vote(measure_id=first.id))
    db.session.commit()
    assert changes.since(group.id, token, "measure") == {first.id}
    assert changes.since(group.id, token, "card") == set()
    duplicates.merge(first, second)
    token = changes.version(group.id)
    # A dot on the merged measure counts on the one kept: both lists entries change.
    db.session.add(Vote(measure_id=second.id))
    db.session.commit()
    assert changes.since(group.id, token, "measure") == {first.id, second.id}
    token = changes.version(group.id)
    duplicates.split(second)
    assert changes.since(group.id, token, "measure") == {first.id, second.id}


def test_a_dot_of_the_auswertungsveranstaltung_changes_the_voters_group(
    make_forum, join_as_participant
):
    forum = make_forum()
    group = forum.groups[0]
    measure = moderation.add_measure(group.id, "", "Sprachcafé", "m1")
    measure.decision = "adopt"
    db.session.commit()
    event = create_forum(kind="evaluation", number=None, title="Auswertungsveranstaltung")
    _, voter = join_as_participant(event)
    forum_token, event_token = changes.version(group.id), changes.version(voter.group_id)
    voting.vote(voter, measure, "event-dot")
    assert changes.since(voter.group_id, event_token, "measure") == {measure.id}
    # The event's dots are the event's priority, not the forum group's.
    assert changes.version(group.id) == forum_token
    event_token = changes.version(voter.group_id)
    voting.unvote(voter, measure)
    assert changes.since(voter.group_id, event_token, "measure") == {measure.id}


def test_a_malformed_or_foreign_version_gets_the_full_answer(make_forum):
    forum = make_forum()
    group, other = forum.groups[:2]
    new_card(group.id, "Eins")
    new_card(other.id, "Zwei")
    new_card(other.id, "Drei")
    for token in (None, "", "abc", "1", "1.2.3", "-1.0", "1.-1", " 1.1", "1.1\n", "٣.1"):
        assert changes.since(group.id, token, "card") is None, token
    # The other group's version: ids beyond this group's last change.
    assert changes.since(group.id, changes.version(other.id), "card") is None
    assert changes.since(group.id, "99999.1", "card") is None


def test_more_than_forty_changes_get_the_full_answer(make_forum):
    group = make_forum().groups[0]
    token = changes.version(group.id)
    for n in range(changes.MAX_CHANGES):
        new_card(group.id, f"Karte {n}")
    assert len(changes.since(group.id, token, "card")) == changes.MAX_CHANGES
    new_card(group.id, "Eine zu viel")
    assert changes.since(group.id, token, "card") is None


def test_a_version_counts_only_the_recent_changes_so_it_costs_the_same_after_hours(
    make_forum, monkeypatch
):
    monkeypatch.setattr(changes, "WINDOW", 5)
    group = make_forum().groups[0]
    for n in range(12):
        new_card(group.id, f"Karte {n}")
    last = db.session.execute(db.select(db.func.max(BoardChange.id))).scalar()
    assert changes.version(group.id) == f"{last}.5"


def test_a_page_further_behind_than_the_window_gets_the_full_answer(make_forum, monkeypatch):
    monkeypatch.setattr(changes, "WINDOW", 5)
    group, other = make_forum().groups[:2]
    token = changes.version(group.id)
    for n in range(3):
        new_card(other.id, f"Andere {n}")
    near = new_card(group.id, "Nah")
    assert changes.since(group.id, token, "card") == {near.id}
    for n in range(5):
        new_card(other.id, f"Weitere {n}")
    new_card(group.id, "Fern")
    assert changes.since(group.id, token, "card") is None


def test_a_change_that_commits_late_behind_the_version_gets_the_full_answer(make_forum):
    group = make_forum().groups[0]
    if dbutil.using_postgres():
        token, late_id = _late_commit_on_postgres(group.id)
    else:
        token, late_id = _late_commit_simulated(group.id)
    assert changes.since(group.id, token, "card") is None
    # Once the page has the version after the late commit, it gets deltas again.
    current = changes.version(group.id)
    assert current != token
    assert changes.since(group.id, current, "card") == set()
    assert late_id in {card.id for card in cards.board(group.id)["strength"]}


def _card_row(group_id, key):
    return insert(Card.__table__).values(
        group_id=group_id, quadrant="strength", text=key, client_key=key
    )


def _late_commit_on_postgres(group_id):
    # PostgreSQL numbers the log's rows when a transaction writes them, not when it commits.
    with db.engine.connect() as early, db.engine.connect() as late:
        late_id = early.execute(_card_row(group_id, "früh begonnen").returning(Card.id)).scalar()
        late.execute(_card_row(group_id, "spät begonnen"))
        late.commit()
        db.session.commit()  # a fresh snapshot for the page's poll
        token = changes.version(group_id)
        early.commit()
    db.session.commit()
    return token, late_id


def _late_commit_simulated(group_id):
    # SQLite commits one writer after the other, so ids arrive in order: hide the first change
    # while the page reads its version, as an uncommitted PostgreSQL transaction would.
    early = new_card(group_id, "früh begonnen")
    new_card(group_id, "spät begonnen")
    hidden = db.session.execute(
        db.select(BoardChange.id, BoardChange.kind, BoardChange.item_id).filter_by(
            group_id=group_id, item_id=early.id
        )
    ).one()
    db.session.execute(delete(BoardChange).filter_by(id=hidden.id))
    db.session.commit()
    token = changes.version(group_id)
    db.session.add(BoardChange(id=hidden.id, group_id=group_id, kind="card", item_id=early.id))
    db.session.commit()
    return token, early.id


def test_a_deleted_group_takes_its_changes_with_it(make_forum):
    group = make_forum().groups[0]
    card = new_card(group.id, "Eins")
    assert changes.version(group.id) != "0.0"
    db.session.delete(card)
    db.session.delete(group)
    db.session.commit()
    assert db.session.execute(db.select(db.func.count(BoardChange.id))).scalar() == 0
