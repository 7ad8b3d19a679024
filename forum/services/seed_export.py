"""Write a process back out in the seed file's shape: what the console says, a seed can say."""

import tomli_w

from forum.models import Forum, Process, User
from forum.services.seed_schema import NEVER, SeedFile

HEADER = (
    "# Beteiligungsprozess, aus Themenforum exportiert. Laden mit: forum seed DATEI\n"
    '# Datumsangaben: 2025-01-23 (Tag) oder "2025-06" (nur Monat).\n'
    '# purge_after_days: Namen und Organisationen so viele Tage nach dem Forum löschen; "never" = nie.\n'
    "# [process.horizons]: die Jahre je Umsetzungshorizont, im Plandokument neben dem Horizont.\n\n"
)


def forum_spec(forum: Forum) -> dict:
    """Describe one forum as a seed mapping."""
    spec = {
        "slug": forum.slug,
        "number": forum.number,
        "kind": forum.kind,
        "title": forum.title,
        "motto": forum.motto,
        "date": _date(forum),
        "venue": forum.venue,
        "dots_per_participant": forum.dots_per_participant,
        "max_dots_per_measure": forum.max_dots_per_measure,
        "purge_after_days": forum.purge_after_days or NEVER,
        "questions": {q.quadrant: q.text for q in forum.questions},
        "agenda": [_agenda_item(item) for item in forum.agenda],
        "room": [_drop_none({"name": r.name, "capacity": r.capacity}) for r in forum.rooms],
        "group": [
            _drop_none(
                {
                    "name": g.name,
                    "colour": g.colour,
                    "room": g.room.name if g.room else None,
                    "moderator": g.moderator.username if g.moderator else None,
                }
            )
            for g in forum.groups
        ],
    }
    return _drop_none(spec)


def _date(forum: Forum):
    if forum.date is None:
        return None
    return forum.date.strftime("%Y-%m") if forum.date_precision == "month" else forum.date


def _agenda_item(item) -> dict:
    phases = [
        _drop_none(
            {
                "key": p.phase,
                "title": p.title,
                "minutes": p.minutes,
                "method": p.method or None,
                "per_group": p.per_group or None,
            }
        )
        for p in item.phases
    ]
    return _drop_none({"title": item.title, "minutes": item.minutes, "phases": phases or None})


def _drop_none(mapping: dict) -> dict:
    # TOML has no null; an absent key means the schema's default.
    return {key: value for key, value in mapping.items() if value is not None}


def process_spec(process: Process) -> dict:
    """Describe a process with its moderators and forums as a seed mapping."""
    moderators: dict[str, User] = {}
    for forum in process.forums:
        for group in forum.groups:
            if group.moderator:
                moderators[group.moderator.username] = group.moderator
    spec = {
        "slug": process.slug,
        "title": process.title,
        "organiser": process.organiser,
        "guiding_goals": [goal.text for goal in process.guiding_goals],
    }
    if any(process.horizon_years.values()):  # an absent table means no years, as on loading
        spec["horizons"] = process.horizon_years
    return {
        "process": spec,
        "moderator": [
            {"username": user.username, "name": user.display_name}
            for user in sorted(moderators.values(), key=lambda user: user.username)
        ],
        "forum": [forum_spec(forum) for forum in process.forums],
    }


def process_toml(process: Process) -> str:
    """Return the process as a seed file that `forum seed` loads back unchanged."""
    spec = process_spec(process)
    SeedFile.model_validate(spec)  # what we write must be loadable
    return HEADER + tomli_w.dumps(spec, multiline_strings=False)
