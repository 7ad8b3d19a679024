"""Read a seed file and bring the database in line with it, idempotently."""

import secrets
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import has_request_context
from flask_babel import gettext
from pydantic import ValidationError

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
)
from forum.services.seed_schema import AgendaSpec, ForumSpec, ProcessSpec, SeedFile


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


def localised(message: str, **values) -> str:
    """Translate a message in a request; the command line has no reader's language: German."""
    if has_request_context():
        return gettext(message, **values)
    return message % values if values else message


class SeedError(Exception):
    """A seed file that cannot be loaded; `problems` name each field and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_seed(path: str | Path) -> SeedFile:
    """Parse and validate a seed file without touching the database."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SeedError([f"{path}: Datei nicht lesbar ({error.strerror})"]) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SeedError([f"{path}: kein gültiges TOML: {error}"]) from error
    except RecursionError as error:
        raise SeedError([f"{path}: zu tief verschachtelt, keine Seed-Datei"]) from error
    try:
        return SeedFile.model_validate(raw)
    except ValidationError as error:
        raise SeedError(describe_errors(error, raw)) from error


def describe_errors(error: ValidationError, raw: dict) -> list[str]:
    """Turn schema errors into German messages that name the field as it appears in the input."""
    return [_describe(problem, raw) for problem in error.errors()]


def _describe(problem: dict, raw: dict) -> str:
    # Name the field as a person finds it in the file: forum[themenforum-1].group[2].room
    parts, node = [], raw
    for key in problem["loc"]:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            label = item.get("slug") or item.get("name") if isinstance(item, dict) else None
            parts[-1] += f"[{label or key + 1}]"
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    where = ".".join(parts) or "Datei"
    return f"{where}: {_reason(problem)}"


# N_ only marks a message for extraction; localised() translates it when a request is there.
_MESSAGES = {
    "missing": N_("Angabe fehlt"),
    "extra_forbidden": N_("unbekannter Schlüssel (Tippfehler?)"),
    "string_pattern_mismatch": N_("hat nicht die erwartete Form"),
    "string_too_short": N_("darf nicht leer sein"),
    "string_too_long": N_("ist zu lang (höchstens %(max_length)s Zeichen)"),
    "too_short": N_("braucht mindestens einen Eintrag"),
    "greater_than": N_("muss größer als %(gt)s sein"),
    "greater_than_equal": N_("muss mindestens %(ge)s sein"),
    "less_than_equal": N_("darf höchstens %(le)s sein"),
    "literal_error": N_("erlaubt sind: %(expected)s"),
}


def _reason(problem: dict) -> str:
    # Planners read these messages in the console and on the command line.
    if problem["type"] == "value_error":
        # The schema's own checks (seed_schema.py) speak German only, like the seed file.
        return problem["msg"].removeprefix("Value error, ")
    template = _MESSAGES.get(problem["type"], N_("hat nicht das erwartete Format"))
    return localised(template, **problem.get("ctx", {}))


def load_seed(spec: SeedFile, prune: bool = False) -> Process:
    """Add and update what the file names; with `prune`, delete what it no longer names.

    Without `prune`, forums, rooms, groups, agenda items and Leitziele added in the console
    stay. Pruning refuses, and changes nothing, when anything it would delete holds results.
    Commits once at the end.
    """
    try:
        process = _upsert(Process, slug=spec.process.slug)
        apply_process(process, spec.process, keep_unlisted=not prune)
        _refuse_foreign_forums(process, spec)
        moderators = {m.username: _moderator(m.username, m.name) for m in spec.moderator}
        before = sorted(process.forums, key=lambda forum: (forum.position, forum.id or 0))
        problems, listed = [], []
        for position, forum_spec in enumerate(spec.forum):
            forum = _upsert(Forum, slug=forum_spec.slug)
            listed.append(forum)
            try:
                apply_forum(forum, process, position, forum_spec, moderators, not prune)
            except SeedError as error:  # name every refusal at once; nothing is committed
                problems += [f"forum[{forum_spec.slug}].{problem}" for problem in error.problems]
        unlisted = [forum for forum in process.forums if forum not in listed]
        if prune:
            problems += _prune_forums(process, unlisted)
        else:
            _keep_places(before, listed)
        if problems:
            raise SeedError(problems)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return process


def unlisted(process: Process, spec: SeedFile) -> list[str]:
    """Name what the process has and the file does not: forums, rooms, groups, agenda items."""
    files = {forum_spec.slug: forum_spec for forum_spec in spec.forum}
    names = []
    for forum in process.forums:
        forum_spec = files.get(forum.slug)
        if forum_spec is None:
            names.append(f"forum[{forum.slug}]")
            continue
        rooms = {room.name for room in forum_spec.room}
        groups = {group.name for group in forum_spec.group}
        names += [f"forum[{forum.slug}].room[{r.name}]" for r in forum.rooms if r.name not in rooms]
        names += [
            f"forum[{forum.slug}].group[{g.name}]" for g in forum.groups if g.name not in groups
        ]
        names += [
            f"forum[{forum.slug}].agenda[{item.position}]"
            for item in forum.agenda[len(forum_spec.agenda) :]
        ]
    return names


def _refuse_foreign_forums(process: Process, spec: SeedFile) -> None:
    # Forum slugs are unique across processes: a file must not carry another process's forum off.
    slugs = [forum_spec.slug for forum_spec in spec.forum]
    taken = db.session.execute(db.select(Forum).where(Forum.slug.in_(slugs))).scalars()
    problems = [
        f"forum[{forum.slug}]: gehört schon zum Prozess „{forum.process.slug}“"
        for forum in taken
        if forum.process is not process
    ]
    if problems:
        raise SeedError(problems)


def _keep_places(before: list, listed: list) -> None:
    """Order the file's items as the file does, within the places they held; new ones go last.

    Items the file does not name keep their place among the others.
    """
    named = [item for item in listed if item in before]
    order = [named.pop(0) if item in listed else item for item in before]
    order += [item for item in listed if item not in before]
    for position, item in enumerate(order):
        item.position = position


def _place_after(items: list, start: int) -> None:
    """Number items the file does not name after those it does, in their present order."""
    for offset, item in enumerate(sorted(items, key=lambda item: item.position)):
        item.position = start + offset


def _prune_forums(process: Process, forums: list[Forum]) -> list[str]:
    """Delete forums the file no longer names; return the refusals if any holds results."""
    problems = [
        f"forum[{forum.slug}]: hat schon Teilnehmende oder Ergebnisse und bleibt bestehen"
        for forum in forums
        if forum.id is not None and _forum_has_work(forum)
    ]
    if problems:
        return problems
    for forum in forums:
        # The running phase points at the forum's own agenda; clear it before the rows go.
        forum.phase_item = None
        db.session.flush()
        process.forums.remove(forum)
    return []


def _forum_has_work(forum: Forum) -> bool:
    if db.session.execute(db.select(Participant.id).filter_by(forum_id=forum.id).limit(1)).first():
        return True
    return any(group.id is not None and _has_work(group) for group in forum.groups)


def save_process(process: Process | None, spec: ProcessSpec) -> Process:
    """Create or update a process from the planner console."""
    taken = db.session.execute(db.select(Process).filter_by(slug=spec.slug)).scalar_one_or_none()
    if taken is not None and taken is not process:
        message = N_("„%(slug)s“ gehört schon zu einem anderen Prozess")
        raise SeedError(["slug: " + localised(message, slug=spec.slug)])
    process = process or _added(Process())
    apply_process(process, spec)
    db.session.commit()
    return process


def save_forum(forum: Forum | None, process: Process, spec: ForumSpec) -> Forum:
    """Create or update one forum from the planner console; all or nothing."""
    taken = db.session.execute(db.select(Forum).filter_by(slug=spec.slug)).scalar_one_or_none()
    if taken is not None and taken is not forum:
        message = N_("„%(slug)s“ gehört schon zu einer anderen Veranstaltung")
        raise SeedError(["slug: " + localised(message, slug=spec.slug)])
    moderators = {user.username: user for user in db.session.execute(db.select(User)).scalars()}
    unknown = {g.moderator for g in spec.group if g.moderator and g.moderator not in moderators}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise SeedError(["group: " + localised(N_("unbekanntes Konto %(names)s"), names=names)])
    position = forum.position if forum else len(process.forums)
    try:
        forum = forum or _added(Forum())
        apply_forum(forum, process, position, spec, moderators)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return forum


def _added(instance):
    db.session.add(instance)
    return instance


def apply_process(process: Process, spec: ProcessSpec, keep_unlisted: bool = False) -> None:
    """Copy a process spec onto a process; `keep_unlisted` keeps Leitziele beyond the spec's."""
    process.slug, process.title, process.organiser = spec.slug, spec.title, spec.organiser
    # Like the organiser, the file says everything: a file without [process.horizons] has none.
    process.horizon_short_years = spec.horizons.short
    process.horizon_medium_years = spec.horizons.medium
    process.horizon_long_years = spec.horizons.long
    _sync(process.guiding_goals, spec.guiding_goals, GuidingGoal, _set_goal, keep_unlisted)


def _upsert(model, **key):
    instance = db.session.execute(db.select(model).filter_by(**key)).scalar_one_or_none()
    if instance is None:
        instance = model(**key)
        db.session.add(instance)
    return instance


def _sync(existing: list, specs: Sequence, model, apply: Callable, keep_surplus=False) -> None:
    """Update items in place by position, add missing ones, drop surplus ones unless kept."""
    for position, spec in enumerate(specs, start=1):
        if position > len(existing):
            existing.append(model(position=position))
        apply(existing[position - 1], spec)
    if not keep_surplus:
        del existing[len(specs) :]


def _set_goal(goal: GuidingGoal, text: str) -> None:
    goal.text = text


def _moderator(username: str, name: str) -> User:
    user = _upsert(User, username=username)
    user.display_name = name
    if user.role is None:
        user.role = "moderator"
    return user


def apply_forum(
    forum: Forum, process: Process, position: int, spec: ForumSpec, moderators, keep_unlisted=False
) -> None:
    """Copy a forum spec onto a forum; what it no longer lists is removed if unused, or kept."""
    forum.process = process
    if forum.join_code is None:
        forum.join_code = secrets.token_urlsafe(16)
    fields = ("slug", "number", "kind", "title", "motto", "date", "date_precision", "venue")
    for name in fields + ("dots_per_participant", "max_dots_per_measure"):
        setattr(forum, name, getattr(spec, name))
    # A file without the key leaves an existing forum's purge setting alone: reloading an older
    # seed file must not start deleting names that nobody decided to delete.
    if "purge_after_days" in spec.model_fields_set or forum.id is None:
        forum.purge_after_days = spec.purge_after_days
    forum.position = position
    _load_questions(forum, spec)
    _load_agenda(forum, spec.agenda, keep_unlisted)
    listed = {group.name for group in spec.group}
    unlisted = [group for group in forum.groups if group.name not in listed]
    if not keep_unlisted:
        _drop_unlisted(forum, spec)
    rooms = {room.name: _room(forum, room.name, room.capacity) for room in spec.room}
    for index, group_spec in enumerate(spec.group):
        group = _find(forum.groups, group_spec.name) or _append(
            forum.groups, Group(name=group_spec.name)
        )
        group.colour, group.position = group_spec.colour, index
        group.room = rooms[group_spec.room]
        group.moderator = moderators.get(group_spec.moderator) if group_spec.moderator else None
    if keep_unlisted:
        _place_after(unlisted, len(spec.group))


def _drop_unlisted(forum: Forum, spec: ForumSpec) -> None:
    # A group that already holds participants, cards or measures is never deleted silently;
    # every such group is named at once, and the caller's rollback leaves everything as it was.
    listed = {group.name for group in spec.group}
    dropped = [g for g in forum.groups if g.name not in listed]
    busy = [group for group in dropped if group.id is not None and _has_work(group)]
    if busy:
        raise SeedError(
            [
                f"group[{group.name}]: hat schon Teilnehmende oder Ergebnisse und bleibt bestehen"
                for group in busy
            ]
        )
    for group in dropped:
        forum.groups.remove(group)
    rooms = {room.name for room in spec.room}
    for room in [r for r in forum.rooms if r.name not in rooms]:
        forum.rooms.remove(room)


def _has_work(group: Group) -> bool:
    return any(
        db.session.execute(db.select(model.id).filter_by(group_id=group.id).limit(1)).first()
        for model in (Participant, Card, Measure)
    )


def _find(items, name):
    return next((item for item in items if item.name == name), None)


def _append(collection: list, item):
    # SQLAlchemy 2 adds new children to the session only when appended from the parent side.
    collection.append(item)
    return item


def _room(forum: Forum, name: str, capacity: int | None) -> Room:
    room = _find(forum.rooms, name) or _append(forum.rooms, Room(name=name))
    room.capacity = capacity
    return room


def _load_questions(forum: Forum, spec: ForumSpec) -> None:
    for quadrant, text in spec.questions.model_dump().items():
        question = next((q for q in forum.questions if q.quadrant == quadrant), None)
        if question is None:
            forum.questions.append(GuidingQuestion(quadrant=quadrant, text=text))
        else:
            question.text = text


def _load_agenda(forum: Forum, specs: list[AgendaSpec], keep_surplus: bool = False) -> None:
    # Items are matched by position; surplus items (added in the console) stay when kept.
    top = forum.agenda
    removed = [] if keep_surplus else top[len(specs) :]
    for surplus in removed:
        for phase in surplus.phases:
            _remove_item(forum, phase)
        _remove_item(forum, surplus)
    for position, spec in enumerate(specs, start=1):
        item = top[position - 1] if position <= len(top) else _new_item(forum, None, position)
        item.title, item.minutes = spec.title, spec.minutes
        phases = list(item.phases)
        for surplus in [] if keep_surplus else phases[len(spec.phases) :]:
            _remove_item(forum, surplus)
        for index, phase_spec in enumerate(spec.phases, start=1):
            phase = phases[index - 1] if index <= len(phases) else _new_item(forum, item, index)
            phase.title, phase.minutes = phase_spec.title, phase_spec.minutes
            phase.phase, phase.method = phase_spec.key, phase_spec.method
            phase.per_group = phase_spec.per_group


def _remove_item(forum: Forum, item: AgendaItem) -> None:
    if forum.phase_item is item:
        # The phase running now is no longer on the agenda: the forum has no running phase.
        forum.phase_item, forum.phase_ends_at = None, None
    forum.agenda_items.remove(item)


def _new_item(forum: Forum, parent: AgendaItem | None, position: int) -> AgendaItem:
    item = AgendaItem(position=position, parent=parent)
    forum.agenda_items.append(item)
    return item
