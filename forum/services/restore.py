"""Restore a process from a JSON backup written by `forum.services.backup`, all or nothing."""

from contextlib import suppress
from datetime import date, datetime

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DataError, IntegrityError

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
    Theme,
    ThemeCard,
    User,
    Vote,
    measure_card,
    measure_theme,
)
from forum.services import backup_rules
from forum.services.backup import ACCOUNT_FIELDS, FORMAT, BackupError, _columns
from forum.services.seeding import _reason


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
        a.key: _decode(a.columns[0], _field(data, a.columns[0], a.key, where), f"{where}, {a.key}")
        for a in attrs
    }


def _field(data, column, key: str, where: str):
    # Backups from before a column existed lack it: a nullable or defaulted column may be absent.
    if isinstance(data, dict) and key not in data:
        if column.nullable:
            return None
        if column.default is not None and column.default.is_scalar:
            return column.default.arg
    return _get(data, key, where)


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
    if type(value) is not kind or (length and len(value) > length):
        raise BackupError(f"{where}: ungültiger Wert {_shown(value)}.")
    # The same rules as the forms and seed files: a backup may not hold what they refuse.
    error = backup_rules.problem(column, value)
    if error is not None:
        reason = "; ".join(_reason(problem) for problem in error.errors())
        raise BackupError(f"{where}: ungültiger Wert {_shown(value)} ({reason}).")
    return value


def _shown(value) -> str:
    # A 5 MB text in the message would bury the reason.
    return repr(value[:60] + "…" if isinstance(value, str) and len(value) > 60 else value)


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
        self.measure_themes: dict = {}
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
        self.restore_auswertung(process)
        return process

    def restore_auswertung(self, process: Process) -> None:
        """Restore the themes and where a planner placed each card (older backups have none)."""
        themes = {}
        for n, item in enumerate(self.data.get("themes", []), start=1):
            where = f"Thema {n}"
            theme = Theme(**_values(Theme, item, where))
            process.themes.append(theme)
            theme.placements = self.placements(item, "cards", where)
            themes[n] = theme
        for placement in self.placements(self.data, "single_cards", "Einzelne Karten"):
            db.session.add(placement)
        for key, measure in self.keys["m"].items():
            where = f"Maßnahme {key}"
            measure.themes = [
                _named(themes, n, f"{where}, Thema") for n in self.measure_themes[key]
            ]

    def placements(self, data: dict, field: str, where: str) -> list[ThemeCard]:
        found = []
        for entry in data.get(field, []) if isinstance(data, dict) else []:
            if not (isinstance(entry, list) and len(entry) == 2 and type(entry[1]) is bool):
                raise BackupError(f"{where}: ungültiger Eintrag {entry!r}.")
            card = self.ref("c", entry[0], where)
            if card is None:
                raise BackupError(f"{where}: Karte fehlt.")
            found.append(ThemeCard(card=card, curated=entry[1]))
        return found

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
        # Linked once the themes exist; backups from before the Auswertung have none.
        self.measure_themes[_get(item, "key", where)] = item.get("themes", [])
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
    themes = select(Theme.id).where(Theme.process_id == process.id)
    for statement in (
        delete(measure_theme).where(
            measure_theme.c.measure_id.in_(measures) | measure_theme.c.theme_id.in_(themes)
        ),
        delete(ThemeCard).where(ThemeCard.theme_id.in_(themes) | ThemeCard.card_id.in_(cards)),
        delete(Theme).where(Theme.process_id == process.id),
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
