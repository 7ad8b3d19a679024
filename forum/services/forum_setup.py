"""Rules for setting forums up in the console: templates, numbers, titles, dates, deletion."""

import datetime as dt
import re
import unicodedata

from forum.extensions import db
from forum.models import Card, Forum, Group, Measure, Participant, Process
from forum.services import seed_export

# What a new forum takes over from its template: the frame of the day, not its people or results.
COPIED = ("kind", "venue", "dots_per_participant", "max_dots_per_measure", "purge_after_days")
# "2. Themenforum", followed by a dash, colon or middle dot that separates it from the topic.
NUMBERED_TITLE = re.compile(r"^\s*(\d{1,2})\s*\.\s*Themenforum\s*(?:[-–—:·|]\s*)?(.*)$", re.S)
GERMAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
GERMAN_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def template_spec(template: Forum) -> dict:
    """Return a new forum's seed mapping from an earlier one: agenda, questions, rooms, groups."""
    spec = seed_export.forum_spec(template)
    copied = {key: spec[key] for key in COPIED if key in spec}
    groups = [
        {key: g[key] for key in ("name", "colour", "room") if key in g} for g in spec["group"]
    ]
    return {
        **copied,
        "number": next_number(template.process),
        "questions": spec["questions"],
        "agenda": spec["agenda"],
        "room": spec["room"],
        "group": groups,
    }


def next_number(process: Process) -> int | None:
    """Suggest the number after the highest one in the process (1 for the first forum)."""
    numbers = [forum.number for forum in process.forums if forum.number]
    return min(max(numbers, default=0) + 1, 99)


def split_title(title: str, number: int | None) -> tuple[str, int | None]:
    """Drop a typed '2. Themenforum – ' from the title, which the number already says.

    A title without a topic after the label stays as typed; the number is taken from the
    label when none was given.
    """
    match = NUMBERED_TITLE.match(title or "")
    if not match:
        return title, number
    typed, rest = int(match.group(1)), match.group(2).strip()
    if number not in (None, typed) or not rest:
        return title, number
    return rest, typed


def title_repeats_label(title: str, number: int | None) -> bool:
    """Tell whether a title would still repeat or contradict the label after split_title()."""
    kept, number = split_title(title, number)
    return bool(NUMBERED_TITLE.match(kept or ""))


def parse_date(text: str) -> tuple[str, bool] | None:
    """Read 23.01.2025, 01.2025, 2025-01-23 or 2025-01 as (ISO text, month only); None if invalid."""
    text = (text or "").strip()
    for pattern, order, month_only in (
        (GERMAN_DAY, (3, 2, 1), False),
        (ISO_DAY, (1, 2, 3), False),
        (GERMAN_MONTH, (2, 1), True),
        (ISO_MONTH, (1, 2), True),
    ):
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(match.group(index)) for index in order] + ([1] if month_only else [])
        try:
            day = dt.date(*parts)
        except ValueError:
            return None
        return (f"{day:%Y-%m}" if month_only else day.isoformat()), month_only
    return None


def german_date(value) -> str:
    """Show a seed date as the form shows it: 23.01.2025, or 06.2025 for a month."""
    if not value:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    parsed = parse_date(str(value))
    if parsed is None:
        return str(value)
    iso, month_only = parsed
    year, month = iso.split("-")[:2]
    return f"{month}.{year}" if month_only else f"{iso[8:10]}.{month}.{year}"


def number_taken_by(process: Process, number: int | None, forum: Forum | None) -> Forum | None:
    """Return another forum of the process that already has this number."""
    if number is None:
        return None
    return next(
        (other for other in process.forums if other.number == number and other is not forum),
        None,
    )


def free_slug(title: str, number: int | None, forum: Forum | None = None) -> str:
    """Build an unused short name for addresses: themenforum-2, or one from the title."""
    base = f"themenforum-{number}" if number else _slugified(title) or "veranstaltung"
    slug, counter = base, 2
    while slug_taken(slug, forum):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def slug_taken(slug: str, forum: Forum | None) -> bool:
    """Tell whether another forum already uses this short name."""
    other = db.session.execute(db.select(Forum).filter_by(slug=slug)).scalar_one_or_none()
    return other is not None and other is not forum


def _slugified(title: str) -> str:
    # German umlauts keep their sound; everything else falls back to its plain letter.
    text = title.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def has_results(forum: Forum) -> bool:
    """Tell whether anyone joined the forum or any card or measure was written in it."""
    if db.session.execute(db.select(Participant.id).filter_by(forum_id=forum.id).limit(1)).first():
        return True
    groups = db.select(Group.id).filter_by(forum_id=forum.id)
    return any(
        db.session.execute(db.select(model.id).where(model.group_id.in_(groups)).limit(1)).first()
        for model in (Card, Measure)
    )


def delete_forum(forum: Forum) -> None:
    """Delete a forum without results with its agenda, rooms and groups; accounts stay."""
    if has_results(forum):
        raise ValueError("forum has results")
    # The running phase points into the agenda that is deleted with the forum.
    forum.phase_item = None
    db.session.flush()
    db.session.delete(forum)
    db.session.commit()
