"""Back up one participation process as JSON and restore it exactly, into any database.

The file holds personal data, because a backup must restore everything: participants' optional
names and organisations, and the hashes of their phone tokens, so that phones keep working
after a restore. Keep it as safely as the database; publish the CSV and DOCX exports instead.
Password hashes are not included: accounts the restore has to create need a new password.

Restoring lives in `forum.services.restore`. The file never holds database ids. Groups and rooms are named, accounts go by username, guiding
goals by position, and participants, cards and measures by a `key` numbered through the file.
Lists are sorted by content, so the same process always gives the same file.
"""

import json
from datetime import date
from functools import cache
from operator import attrgetter

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    AgendaItem,
    Card,
    Forum,
    Group,
    Measure,
    Participant,
    Process,
    Theme,
    ThemeCard,
    User,
)

FORMAT = "themenforum-backup/1"
ACCOUNT_FIELDS = ("username", "display_name", "role")
# Foreign keys the file expresses by nesting or as references; every other column is copied.
# An unknown one stops the backup rather than silently losing a link (tests check this list).
REFERENCES = {
    "process": set(),
    "guiding_goal": {"process_id"},
    "forum": {"process_id", "phase_item_id"},  # the running phase is not restored
    "agenda_item": {"forum_id", "parent_id"},
    "guiding_question": {"forum_id"},
    "room": {"forum_id"},
    "work_group": {"forum_id", "room_id", "moderator_id"},
    "participant": {"forum_id", "group_id"},
    "card": {"group_id", "participant_id", "author_user_id", "merged_into_id"},
    "measure": {"group_id", "participant_id", "guiding_goal_id", "merged_into_id"},
    "measure_card": {"measure_id", "card_id"},
    "vote": {"measure_id", "participant_id"},
    "theme": {"process_id"},
    "theme_card": {"card_id", "theme_id"},
    "measure_theme": {"measure_id", "theme_id"},
}

# Tables a backup leaves out: the live pages' change log describes this database's history, and
# a restore's own inserts log the restored cards and measures anew.
LEFT_OUT = {"board_change"}


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
    except RecursionError as error:
        # No backup nests more than a few levels; Python's parser gives up at about a thousand.
        raise BackupError("Die Datei ist zu tief verschachtelt, kein Backup.") from error


def export_process(process: Process) -> dict:
    """Describe the whole process as JSON-ready data, free of database ids."""
    forums = sorted(process.forums, key=attrgetter("position", "slug"))
    exporter = _Exporter(forums)
    exporter.themes = sorted(
        _load(Theme, Theme.process_id == process.id, Theme.placements),
        key=lambda t: (t.quadrant, t.created_at, t.title, t.id),
    )
    return {
        "format": FORMAT,
        "process": _fields(process),
        "guiding_goals": [_fields(g) for g in sorted(process.guiding_goals, key=_POSITION)],
        "accounts": [
            {name: getattr(user, name) for name in ACCOUNT_FIELDS}
            for user in sorted(exporter.users, key=attrgetter("username"))
        ],
        "forums": [exporter.forum(forum) for forum in forums],
        **exporter.auswertung(process),
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
            "m": _load(
                Measure, Measure.group_id.in_(groups), Measure.cards, Measure.votes, Measure.themes
            ),
        }
        self.rows: dict[str, dict] = {}
        self.keys: dict[tuple, int] = {}
        self.themes: list[Theme] = []  # the Auswertung's, in file order (export_process sets them)
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

    @property
    def theme_number(self) -> dict[int, int]:
        return {theme.id: n for n, theme in enumerate(self.themes, start=1)}

    def auswertung(self, process: Process) -> dict:
        return _auswertung(self, process)

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
        votes = sorted(
            (v.created_at, self.key("p", v.participant_id) or 0, v.client_key or "")
            for v in measure.votes
        )
        return {
            **_fields(measure),
            "key": self.key("m", measure.id),
            "proposer": self.key("p", measure.participant_id),
            "guiding_goal": measure.guiding_goal.position if measure.guiding_goal else None,
            "cards": sorted(self.key("c", card.id) for card in measure.cards),
            "votes": [
                {"created_at": _encode(at), "participant": p or None, "client_key": key or None}
                for at, p, key in votes
            ],
            "merged_into": self.key("m", measure.merged_into_id),
            # Themes go by their place in the file's list of themes (numbered from 1).
            "themes": sorted(self.theme_number[theme.id] for theme in measure.themes),
        }


def _auswertung(exporter: "_Exporter", process: Process) -> dict:
    """The Auswertung's themes with their cards, and the cards a planner put on their own."""
    cards = {key for kind, key in exporter.keys if kind == "c"}
    singles = _load(ThemeCard, ThemeCard.theme_id.is_(None) & ThemeCard.card_id.in_(cards))
    return {
        "themes": [
            {
                **_fields(theme),
                "cards": sorted(
                    [exporter.key("c", p.card_id), p.curated] for p in theme.placements
                ),
            }
            for theme in exporter.themes
        ],
        "single_cards": sorted([exporter.key("c", p.card_id), p.curated] for p in singles),
    }


def _load(model, condition, *eager) -> list:
    query = select(model).where(condition).options(*(selectinload(r) for r in eager))
    return list(db.session.execute(query).scalars())


def _agenda(item: AgendaItem) -> dict:
    return {**_fields(item), "phases": [_agenda(p) for p in sorted(item.phases, key=_POSITION)]}
