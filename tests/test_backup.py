"""JSON backup of a whole process: exact round trip, any target database, all or nothing."""

import copy
import json
from datetime import date, datetime

import pytest

from forum.cli import prepare_demo
from forum.extensions import db
from forum.models import Card, Forum, Measure, Process, User, Vote
from forum.services import backup
from forum.services.backup import BackupError, dump_json, export_process
from forum.services.cards import add_card
from forum.services.restore import import_process

SLUG = "fachplan-asyl-integration-2025-2030"


def process(slug: str = SLUG) -> Process:
    return db.session.execute(db.select(Process).filter_by(slug=slug)).scalar_one()


def rich_process(join_as_participant) -> Process:
    """The demo with samples, plus what a real forum adds: names, hidden and merged cards, dots."""
    prepare_demo(sample=True)
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    _, anna = join_as_participant(forum, name="Anna Beispiel", organisation="Treff e. V.")
    _, olena = join_as_participant(forum, org_type="migrant_org", name="Олена Коваленко")
    typed = add_card(anna, "threat", "Räume fehlen – „Treff“; oft\nabends", "k-" + "a" * 20)
    cards = (
        db.session.execute(db.select(Card).filter_by(group_id=anna.group_id).order_by(Card.id))
        .scalars()
        .all()
    )
    cards[0].hidden = True
    cards[1].merged_into_id = cards[2].id
    cards[2].merge_count, cards[2].version = 2, 3
    moderator = db.session.execute(db.select(User).filter_by(username="heyde")).scalar_one()
    db.session.add(
        Card(
            group_id=olena.group_id,
            quadrant="strength",
            text="Papierkarte",
            author_user_id=moderator.id,
        )
    )
    measure = (
        db.session.execute(
            db.select(Measure).filter_by(group_id=anna.group_id).order_by(Measure.id)
        )
        .scalars()
        .first()
    )
    measure.votes.append(Vote(participant_id=olena.id))
    measure.cards.append(typed)
    measure.participant_id = anna.id
    db.session.add(
        Measure(group_id=olena.group_id, title="Verborgen", hidden=True, client_key="m-" + "b" * 20)
    )
    duplicate = (
        db.session.execute(
            db.select(Measure).where(Measure.group_id != anna.group_id).order_by(Measure.id)
        )
        .scalars()
        .first()
    )
    duplicate.merged_into_id = measure.id
    # Twins equal in everything but their links: only the order of insertion tells them apart.
    moment = datetime(2025, 1, 23, 11, 0)
    twins = [
        Card(
            group_id=olena.group_id,
            quadrant="weakness",
            text="Zwilling",
            created_at=moment,
            updated_at=moment,
        )
        for _ in range(2)
    ]
    db.session.add_all(twins)
    duplicate.cards.append(twins[1])
    forum.date, forum.date_precision = date(2024, 11, 28), "day"
    db.session.commit()
    return process()


def empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.execute(db.select(db.func.count()).select_from(table)).scalar()
        for table in db.metadata.sorted_tables
        if table.name not in backup.LEFT_OUT
    }


def test_round_trip_into_an_empty_database_is_exact(app, join_as_participant):
    text = dump_json(export_process(rich_process(join_as_participant)))
    assert dump_json(export_process(process())) == text  # deterministic
    counts = row_counts()
    empty_database()
    restored = import_process(backup.parse_json(text))
    assert restored.slug == SLUG
    assert dump_json(export_process(process())) == text
    counts["user_account"] -= 1  # the planner account "planung" is no part of the process
    assert row_counts() == counts


def test_backup_holds_what_a_restore_needs(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    assert data["format"] == "themenforum-backup/1"
    forum = data["forums"][0]
    assert forum["slug"] == "themenforum-1" and forum["is_open"] and forum["date"] == "2024-11-28"
    assert (
        data["process"]["horizon_short_years"],
        data["process"]["horizon_medium_years"],
        data["process"]["horizon_long_years"],
    ) == ("bis 2026", "2027–2028", "2029–2030")
    assert {a["username"] for a in data["accounts"]} == {"beitz", "heyde", "bidell", "schaefer"}
    assert all(set(a) == {"username", "display_name", "role"} for a in data["accounts"])
    people = {p["name"]: p for p in forum["participants"]}
    assert len(people["Anna Beispiel"]["token_hash"]) == 64
    assert people["Anna Beispiel"]["organisation"] == "Treff e. V."
    cards = [card for group in forum["groups"] for card in group["cards"]]
    assert any(card["hidden"] for card in cards)
    merged = next(card for card in cards if card["merged_into"])
    assert next(c for c in cards if c["key"] == merged["merged_into"])["merge_count"] == 2
    assert any(card["author_account"] == "heyde" for card in cards)
    measures = [m for group in forum["groups"] for m in group["measures"]]
    assert sum(m["merged_into"] is not None for m in measures) == 1
    assert any(vote["participant"] for m in measures for vote in m["votes"])
    assert not [key for key in all_keys(data) if key == "id" or key.endswith("_id")]


def all_keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from all_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_keys(value)


def test_import_beside_another_process(app, make_forum, join_as_participant):
    text = dump_json(export_process(rich_process(join_as_participant)))
    empty_database()
    other = make_forum()  # another process, sharing the moderator accounts
    other_text = dump_json(export_process(other.process))
    import_process(json.loads(text))
    assert dump_json(export_process(process())) == text
    assert dump_json(export_process(process("fachplan"))) == other_text
    assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 4


def test_existing_slug_is_refused_or_replaced(app, join_as_participant):
    text = dump_json(export_process(rich_process(join_as_participant)))
    counts = row_counts()
    with pytest.raises(BackupError, match=SLUG):
        import_process(json.loads(text))
    assert row_counts() == counts
    damaged = json.loads(text)
    damaged["forums"][-1]["groups"] = [{"name": "ohne alles"}]
    with pytest.raises(BackupError, match="room"):
        import_process(damaged, replace=True)
    assert dump_json(export_process(process())) == text  # the old process stays
    import_process(json.loads(text), replace=True)
    assert dump_json(export_process(process())) == text
    assert row_counts() == counts


def test_forum_slug_of_another_process_is_refused(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    data["process"]["slug"] = "kopie"
    counts = row_counts()
    with pytest.raises(BackupError, match="themenforum-1"):
        import_process(data)
    assert row_counts() == counts


def broken(data: dict) -> list[tuple[str, dict]]:
    """Variants of a good backup, each with one defect, and what the message names."""
    cases = []

    def case(match, change):
        variant = copy.deepcopy(data)
        change(variant)
        cases.append((match, variant))

    group = lambda d: d["forums"][0]["groups"][-1]  # noqa: E731
    case("Format", lambda d: d.update(format="themenforum-backup/2"))
    case("process", lambda d: d.pop("process"))
    case("forums", lambda d: d.update(forums={}))
    case("text", lambda d: group(d)["cards"][0].pop("text"))
    case("quadrant", lambda d: group(d)["cards"][0].update(quadrant=7))
    case("created_at", lambda d: group(d)["cards"][0].update(created_at="gestern"))
    case("9999", lambda d: group(d)["measures"][-1]["cards"].append(9999))
    case("Raum", lambda d: group(d).update(room="Keller"))
    case("doppelt", lambda d: group(d)["cards"][1].update(key=group(d)["cards"][0]["key"]))
    case("title", lambda d: d["forums"][0].update(title="x" * 301))
    case("fehlerhaft", lambda d: group(d)["measures"][-1]["cards"].append(["liste"]))
    case(
        "doppelt",
        lambda d: d["forums"][0]["participants"].append(d["forums"][0]["participants"][0]),
    )
    return cases


def test_malformed_backups_raise_and_write_nothing(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    empty_database()
    for match, variant in broken(data):
        with pytest.raises(BackupError, match=match):
            import_process(variant)
        assert not any(row_counts().values()), match
    for wrong in (None, [], "text", {"format": None}):
        with pytest.raises(BackupError, match="Format"):
            import_process(wrong)
    with pytest.raises(BackupError, match="JSON"):
        backup.parse_json("{kaputt")


def test_every_column_is_backed_up_or_known_to_be_left_out(app):
    # A new table or foreign key must be taught to the backup, or a restore would lose it.
    assert set(db.metadata.tables) - set(backup.REFERENCES) == {"user_account", *backup.LEFT_OUT}
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name not in {"user_account", *backup.LEFT_OUT}:
            backup._columns(mapper.class_)  # raises on a foreign key the backup does not know
    for name, table in db.metadata.tables.items():
        if name in backup.LEFT_OUT:
            continue
        known = backup.REFERENCES.get(name, set())
        assert {c.name for c in table.columns if c.foreign_keys} <= known, name


def test_a_backup_from_before_newer_columns_still_restores(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    for forum in data["forums"]:  # columns added after the first release of the backup format
        del forum["purge_after_days"], forum["phase_ends_at"]
    empty_database()
    import_process(data)
    forum = db.session.execute(db.select(Forum).filter_by(slug="themenforum-1")).scalar_one()
    assert forum.purge_after_days is None and forum.phase_ends_at is None
    assert db.session.execute(db.select(db.func.count(Card.id))).scalar() > 40


def test_horizon_years_survive_a_restore_exactly(app, join_as_participant):
    original = rich_process(join_as_participant)
    original.horizon_short_years = "bis Ende 2026 – „kurz“"
    original.horizon_long_years = ""
    db.session.commit()
    text = dump_json(export_process(original))
    empty_database()
    restored = import_process(backup.parse_json(text))
    assert restored.horizon_years == {
        "short": "bis Ende 2026 – „kurz“",
        "medium": "2027–2028",
        "long": "",
    }
    assert dump_json(export_process(process())) == text


def test_a_backup_from_before_the_horizon_years_restores_without_them(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    for name in ("horizon_short_years", "horizon_medium_years", "horizon_long_years"):
        del data["process"][name]
    empty_database()
    import_process(data)
    assert process().horizon_years == {"short": "", "medium": "", "long": ""}


def test_horizon_years_longer_than_the_column_are_refused(app, join_as_participant):
    data = export_process(rich_process(join_as_participant))
    data["process"]["horizon_medium_years"] = "2027" * 16
    empty_database()
    with pytest.raises(BackupError, match="horizon_medium_years"):
        import_process(data)
    assert not any(row_counts().values())
