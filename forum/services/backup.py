"""Back up one participation process as JSON and restore it exactly, into any database.

The file holds personal data, because a backup must restore everything: participants' optional
names and organisations, and the hashes of their phone tokens, so that phones keep working
after a restore. Keep it as safely as the database; publish the CSV and DOCX exports instead.
Password hashes are not included: accounts the restore has to create need a new password.

The file never holds database ids. Groups and rooms are named, accounts go by username, guiding
goals by position, and participants, cards and measures by a `key` numbered through the file.
Lists are sorted by content, so the same process always gives the same file.
"""

import json
from contextlib import suppress
from datetime import date, datetime
from functools import cache
from operator import attrgetter

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    AgendaItem,
    Card,
    Forum,
    Group,
    GuidingGoal,
    GuidingQuestion,
    Measure,
    Participant,
    Process,
    Room,
    User,
    Vote,
    measure_card,
)

FORMAT = "themenforum-backup/1"
ACCOUNT_FIELDS = ("username", "display_name", "role")
# Foreign keys the file expresses by nesting or as references; every other column is copied.
# An unknown one stops the backup rather than silently losing a link (tests check this list).
REFERENCES = {
    "process": set(),
    "guiding_goal": {"process_id"},
    "forum": {"process_id"},
    "agenda_item": {"forum_id", "parent_id"},
    "guiding_question": {"forum_id"},
    "room": {"forum_id"},
    "work_group": {"forum_id", "room_id", "moderator_id"},
    "participant": {"forum_id", "group_id"},
    "card": {"group_id", "participant_id", "author_user_id", "merged_into_id"},
    "measure": {"group_id", "participant_id", "guiding_goal_id", "merged_into_id"},
    "measure_card": {"measure_id", "card_id"},
    "vote": {"measure_id", "participant_id"},
}


class BackupError(Exception):
    """A backup file that cannot be restored, with a message a planner can act on."""


@cache
def _columns(model) -> tuple:
    """Return the attributes copied as they are: neither the id nor a foreign key."""
    table = model.__table__
    unknown = {c.name for c in table.columns if c.foreign_keys} - REFERENCES[table.name]
    if unknown:
        raise RuntimeError(f"backup.py does not know the references {table.name}.{unknown}")
    return tuple(
        attr
        for attr in inspect(model).column_attrs
        if attr.key != "id" and not attr.columns[0].foreign_keys
    )


def _fields(row) -> dict:
    return {attr.key: _encode(getattr(row, attr.key)) for attr in _columns(type(row))}


def _encode(value):
    return value.isoformat() if isinstance(value, date) else value


def dump_json(data: dict) -> str:
    """Write backup data as stable, readable JSON text."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def parse_json(text: str | bytes) -> dict:
    """Read backup JSON text, or raise BackupError."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"Die Datei ist kein gültiges JSON: {error}") from error


def export_process(process: Process) -> dict:
    """Describe the whole process as JSON-ready data, free of database ids."""
    forums = sorted(process.forums, key=attrgetter("position", "slug"))
    exporter = _Exporter(forums)
    return {
        "format": FORMAT,
        "process": _fields(process),
        "guiding_goals": [_fields(g) for g in sorted(process.guiding_goals, key=_POSITION)],
        "accounts": [
            {name: getattr(user, name) for name in ACCOUNT_FIELDS}
            for user in sorted(exporter.users, key=attrgetter("username"))
        ],
        "forums": [exporter.forum(forum) for forum in forums],
    }


_POSITION = attrgetter("position")
_GROUP_ORDER = attrgetter("position", "name")
# Sort by content, not by id, so that a restored copy sorts the same; the id only breaks ties
# between rows equal in all the file holds, and a restore inserts those in file order.
_ORDER = {
    "p": lambda p: (p.joined_at, p.token_hash),
    "c": lambda c: (c.created_at, c.quadrant, c.text, c.id),
    "m": lambda m: (m.created_at, m.title, m.id),
}


class _Exporter:
    """Load a process's rows once, number them through the file and describe each forum."""

    def __init__(self, forums: list[Forum]):
        groups = [g.id for forum in forums for g in sorted(forum.groups, key=_GROUP_ORDER)]
        owners = {"p": [forum.id for forum in forums], "c": groups, "m": groups}
        found = {
            "p": _load(Participant, Participant.forum_id.in_(owners["p"])),
            "c": _load(Card, Card.group_id.in_(groups)),
            "m": _load(Measure, Measure.group_id.in_(groups), Measure.cards, Measure.votes),
        }
        self.rows: dict[str, dict] = {}
        self.keys: dict[tuple, int] = {}
        for kind, rows in found.items():
            owner = "forum_id" if kind == "p" else "group_id"
            self.rows[kind] = {o: [] for o in owners[kind]}
            for row in sorted(rows, key=_ORDER[kind]):
                self.rows[kind][getattr(row, owner)].append(row)
            ordered = [row for o in owners[kind] for row in self.rows[kind][o]]
            self.keys.update({(kind, row.id): n for n, row in enumerate(ordered, start=1)})
        authors = _load(User, User.id.in_({c.author_user_id for c in found["c"]} - {None}))
        self.accounts = {user.id: user.username for user in authors}
        # The accounts the file names: moderators of groups and moderators who typed cards.
        self.users = set(authors) | {g.moderator for f in forums for g in f.groups if g.moderator}

    def key(self, kind: str, row_id: int | None) -> int | None:
        if row_id is not None and (kind, row_id) not in self.keys:
            raise BackupError(f"Verweis auf Daten außerhalb des Prozesses ({kind}{row_id}).")
        return self.keys.get((kind, row_id))

    def forum(self, forum: Forum) -> dict:
        return {
            **_fields(forum),
            "questions": [_fields(q) for q in sorted(forum.questions, key=attrgetter("quadrant"))],
            "agenda": [_agenda(item) for item in sorted(forum.agenda, key=_POSITION)],
            "rooms": [_fields(room) for room in sorted(forum.rooms, key=attrgetter("name"))],
            "groups": [self.group(group) for group in sorted(forum.groups, key=_GROUP_ORDER)],
            "participants": [self.participant(p) for p in self.rows["p"][forum.id]],
        }

    def group(self, group: Group) -> dict:
        return {
            **_fields(group),
            "room": group.room.name if group.room else None,
            "moderator": group.moderator.username if group.moderator else None,
            "cards": [self.card(card) for card in self.rows["c"][group.id]],
            "measures": [self.measure(measure) for measure in self.rows["m"][group.id]],
        }

    def participant(self, person: Participant) -> dict:
        group = person.group.name if person.group else None
        return {**_fields(person), "key": self.key("p", person.id), "group": group}

    def card(self, card: Card) -> dict:
        return {
            **_fields(card),
            "key": self.key("c", card.id),
            "author": self.key("p", card.participant_id),
            "author_account": self.accounts.get(card.author_user_id),
            "merged_into": self.key("c", card.merged_into_id),
        }

    def measure(self, measure: Measure) -> dict:
        votes = sorted((v.created_at, self.key("p", v.participant_id) or 0) for v in measure.votes)
        return {
            **_fields(measure),
            "key": self.key("m", measure.id),
            "proposer": self.key("p", measure.participant_id),
            "guiding_goal": measure.guiding_goal.position if measure.guiding_goal else None,
            "cards": sorted(self.key("c", card.id) for card in measure.cards),
            "votes": [{"created_at": _encode(at), "participant": p or None} for at, p in votes],
            "merged_into": self.key("m", measure.merged_into_id),
        }


def _load(model, condition, *eager) -> list:
    query = select(model).where(condition).options(*(selectinload(r) for r in eager))
    return list(db.session.execute(query).scalars())


def _agenda(item: AgendaItem) -> dict:
    return {**_fields(item), "phases": [_agenda(p) for p in sorted(item.phases, key=_POSITION)]}


def import_process(data: dict, *, replace: bool = False) -> Process:
    """Restore a process from export_process data; all or nothing, one commit."""
    try:
        process = _Importer(data).run(replace)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if isinstance(error, IntegrityError | DataError):
            message = f"Die Sicherung passt nicht in diese Datenbank: {error.orig}"
            raise BackupError(message) from error
        if isinstance(error, KeyError | TypeError | ValueError):
            # The readers below check each field; this catches a shape they did not foresee.
            raise BackupError(f"Die Sicherungsdatei ist fehlerhaft: {error!r}") from error
        raise
    return process


def _get(data, key: str, where: str):
    if not isinstance(data, dict):
        raise BackupError(f"{where}: Eintrag erwartet, gefunden: {type(data).__name__}.")
    if key not in data:
        raise BackupError(f"{where}: Feld „{key}“ fehlt.")
    return data[key]


def _list(data, key: str, where: str) -> list:
    value = _get(data, key, where)
    if not isinstance(value, list):
        raise BackupError(f"{where}: Feld „{key}“ muss eine Liste sein.")
    return value


def _values(model, data, where: str, names: tuple = ()) -> dict:
    attrs = [inspect(model).column_attrs[n] for n in names] if names else _columns(model)
    return {
        a.key: _decode(a.columns[0], _get(data, a.key, where), f"{where}, {a.key}") for a in attrs
    }


def _decode(column, value, where: str):
    kind = column.type.python_type
    if value is None and column.nullable:
        return None
    if kind in (datetime, date) and isinstance(value, str):
        with suppress(ValueError):
            moment = kind.fromisoformat(value)
            if getattr(moment, "tzinfo", None) is None:  # the database holds naive UTC
                return moment
    length = getattr(column.type, "length", None)
    if type(value) is kind and not (length and len(value) > length):
        return value
    raise BackupError(f"{where}: ungültiger Wert {value!r}.")


class _Importer:
    """Create the rows of one backup, resolving the file's references as it goes."""

    def __init__(self, data):
        found = data.get("format") if isinstance(data, dict) else None
        if found != FORMAT:
            raise BackupError(
                f"Keine Themenforum-Sicherung im Format {FORMAT} (gefunden: {found!r})."
            )
        self.data = data
        self.keys: dict[str, dict] = {"p": {}, "c": {}, "m": {}}
        self.groups: list[tuple[Group, dict, str]] = []

    def run(self, replace: bool) -> Process:
        fields = _values(Process, _get(self.data, "process", "Sicherung"), "Prozess")
        existing = _find(Process, slug=fields["slug"])
        if existing is not None and not replace:
            raise BackupError(f"Der Beteiligungsprozess „{fields['slug']}“ ist bereits vorhanden.")
        if existing is not None:
            _delete_process(existing)
        process = Process(**fields)
        db.session.add(process)
        for n, goal in enumerate(_list(self.data, "guiding_goals", "Sicherung"), start=1):
            process.guiding_goals.append(GuidingGoal(**_values(GuidingGoal, goal, f"Leitziel {n}")))
        self.goals = {goal.position: goal for goal in process.guiding_goals}
        self.accounts = self.restore_accounts()
        forums = [
            self.restore_forum(process, n, f)
            for n, f in enumerate(_list(self.data, "forums", "Sicherung"), 1)
        ]
        db.session.flush()
        for forum, data, where in forums:
            groups = {group.name: group for group in forum.groups}
            for n, item in enumerate(_list(data, "participants", where), start=1):
                at = f"{where}, Teilnehmende {n}"
                person = Participant(forum=forum, **_values(Participant, item, at))
                person.group = _named(groups, _get(item, "group", at), f"{at}, Gruppe")
                self.register("p", item, person, at)
        db.session.flush()
        self.restore_rows("c", "cards", "Karte", self.card)
        self.restore_rows("m", "measures", "Maßnahme", self.measure)
        return process

    def register(self, kind: str, item: dict, row, where: str) -> None:
        key = _get(item, "key", where)
        if type(key) is not int or key in self.keys[kind]:
            raise BackupError(f"{where}: Schlüssel {key!r} ist ungültig oder doppelt.")
        self.keys[kind][key] = row
        db.session.add(row)

    def ref(self, kind: str, key, where: str):
        return _named(self.keys[kind], key, where)

    def restore_accounts(self) -> dict[str, User]:
        accounts = {}
        for n, item in enumerate(_list(self.data, "accounts", "Sicherung"), start=1):
            fields = _values(User, item, f"Konto {n}", ACCOUNT_FIELDS)
            # An account that exists already is the same person in another process: keep it.
            user = _find(User, username=fields["username"]) or User(**fields)
            db.session.add(user)
            accounts[user.username] = user
        return accounts

    def restore_forum(self, process: Process, n: int, data: dict) -> tuple[Forum, dict, str]:
        forum = Forum(**_values(Forum, data, f"Forum {n}"))
        where = f"Forum „{forum.slug}“"
        if _find(Forum, slug=forum.slug) or _find(Forum, join_code=forum.join_code):
            raise BackupError(f"{where} oder sein Beitrittscode ist bereits vorhanden.")
        process.forums.append(forum)
        for item in _list(data, "questions", where):
            forum.questions.append(GuidingQuestion(**_values(GuidingQuestion, item, where)))
        _restore_agenda(forum, None, _list(data, "agenda", where), f"{where}, Tagesordnung")
        for item in _list(data, "rooms", where):
            forum.rooms.append(Room(**_values(Room, item, f"{where}, Raum")))
        rooms = {room.name: room for room in forum.rooms}
        for item in _list(data, "groups", where):
            group = Group(**_values(Group, item, f"{where}, Gruppe"))
            at = f"{where}, Gruppe „{group.name}“"
            group.room = _named(rooms, _get(item, "room", at), f"{at}, Raum")
            group.moderator = _named(
                self.accounts, _get(item, "moderator", at), f"{at}, Moderation"
            )
            forum.groups.append(group)
            self.groups.append((group, item, at))
        return forum, data, where

    def restore_rows(self, kind: str, field: str, label: str, make) -> None:
        """Add the cards or measures of every group, then link merged ones to their targets."""
        merged = []
        for group, data, where in self.groups:
            for n, item in enumerate(_list(data, field, where), start=1):
                at = f"{where}, {label} {n}"
                row = make(group, item, at)
                self.register(kind, item, row, at)
                merged.append((row, item, at))
        db.session.flush()
        for row, item, at in merged:
            target = self.ref(kind, _get(item, "merged_into", at), at)
            if target is not None:
                # Past the ORM, so that updated_at keeps its restored value.
                table = type(row).__table__
                db.session.execute(
                    update(table)
                    .where(table.c.id == row.id)
                    .values(merged_into_id=target.id, updated_at=table.c.updated_at)
                )

    def card(self, group: Group, item: dict, where: str) -> Card:
        card = Card(
            group=group,
            participant=self.ref("p", _get(item, "author", where), where),
            **_values(Card, item, where),
        )
        account = _named(self.accounts, _get(item, "author_account", where), f"{where}, Konto")
        card.author_user_id = account.id if account else None
        return card

    def measure(self, group: Group, item: dict, where: str) -> Measure:
        measure = Measure(group=group, **_values(Measure, item, where))
        proposer = self.ref("p", _get(item, "proposer", where), where)
        measure.participant_id = proposer.id if proposer else None
        measure.guiding_goal = _named(
            self.goals, _get(item, "guiding_goal", where), f"{where}, Leitziel"
        )
        measure.cards = [self.ref("c", key, where) for key in _list(item, "cards", where)]
        for n, vote in enumerate(_list(item, "votes", where), start=1):
            at = f"{where}, Stimme {n}"
            voter = self.ref("p", _get(vote, "participant", at), at)
            fields = _values(Vote, vote, at)
            measure.votes.append(Vote(participant_id=voter.id if voter else None, **fields))
        return measure


def _find(model, **key):
    return db.session.execute(select(model).filter_by(**key)).scalar_one_or_none()


def _named(mapping: dict, name, where: str):
    if name is None:
        return None
    if name not in mapping:
        raise BackupError(f"{where}: unbekannter Verweis {name!r}.")
    return mapping[name]


def _restore_agenda(forum: Forum, parent: AgendaItem | None, items: list, where: str) -> None:
    for n, data in enumerate(items, start=1):
        item = AgendaItem(parent=parent, **_values(AgendaItem, data, f"{where} {n}"))
        forum.agenda_items.append(item)
        _restore_agenda(forum, item, _list(data, "phases", f"{where} {n}"), f"{where} {n}.")


def _delete_process(process: Process) -> None:
    """Delete a process with everything its groups produced, inside the open transaction."""
    forums = select(Forum.id).where(Forum.process_id == process.id)
    groups = select(Group.id).where(Group.forum_id.in_(forums))
    measures = select(Measure.id).where(Measure.group_id.in_(groups))
    cards = select(Card.id).where(Card.group_id.in_(groups))
    for statement in (
        delete(Vote).where(Vote.measure_id.in_(measures)),
        delete(measure_card).where(
            measure_card.c.measure_id.in_(measures) | measure_card.c.card_id.in_(cards)
        ),
        delete(Measure).where(Measure.group_id.in_(groups)),
        delete(Card).where(Card.group_id.in_(groups)),
        delete(Participant).where(Participant.forum_id.in_(forums)),
    ):
        db.session.execute(statement, execution_options={"synchronize_session": False})
    db.session.delete(process)
    db.session.flush()
