"""The shape of a seed file, checked field by field before anything is written."""

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from forum.services import text
from forum.services.text import clean_text

PHASE_KEYS = Literal["warmup", "swot", "goals", "owners", "horizon", "plenum"]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DEFAULT_PURGE_DAYS = 30
NEVER = "never"

# The four guiding questions of the 4-Feldermatrix on the slides; forums without their own use these.
STANDARD_QUESTIONS = {
    "strength": "Welche Ressourcen/Netzwerke und positiven Aspekte gibt es?",
    "weakness": "Wo bestehen Defizite oder Probleme?",
    "opportunity": "Welche (ungenutzten) Potenziale oder Möglichkeiten gibt es?",
    "threat": "Welche Hindernisse oder Herausforderungen bzw. Risiken gibt es?",
}


class Strict(BaseModel):
    """Reject unknown keys so that a typo is reported instead of ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _cleaned(line: bool):
    """Clean text as the forms do; refuse what the forms would silently drop (NUL, U+FFFE)."""

    def clean(value):
        if not isinstance(value, str):
            return value
        cleaned, changed = clean_text(value, line=line)
        if changed:
            raise ValueError("enthält unsichtbare Steuerzeichen (z. B. NUL); bitte entfernen")
        return cleaned

    return BeforeValidator(clean)


def Line(max_length: int, required: bool = False):
    """A single-line text of at most max_length characters (forum.services.text)."""
    return Annotated[str, Field(min_length=int(required), max_length=max_length), _cleaned(True)]


def Paragraph(max_length: int, required: bool = False):
    """A text that may hold line breaks, of at most max_length characters."""
    return Annotated[str, Field(min_length=int(required), max_length=max_length), _cleaned(False)]


Slug = Annotated[str, Field(pattern=SLUG, max_length=text.MAX_SLUG)]
Username = Annotated[str, Field(pattern=r"^[a-z0-9._-]{2,80}$")]
Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
Title = Line(text.MAX_TITLE, required=True)
Name = Line(text.MAX_NAME, required=True)
LongText = Paragraph(text.MAX_LONG, required=True)

# The same bounds as the console's forms; they also keep numbers within the database's integers.
Minutes = Annotated[int, Field(ge=1, le=600)]
Capacity = Annotated[int, Field(ge=1, le=5000)]
ForumNumber = Annotated[int, Field(ge=1, le=99)]
Dots = Annotated[int, Field(ge=0, le=20)]
DotsPerMeasure = Annotated[int, Field(ge=1, le=20)]
PurgeDays = Annotated[int, Field(ge=1, le=3650)]


class PhaseSpec(Strict):
    key: PHASE_KEYS
    title: Title
    minutes: Minutes
    method: Line(text.MAX_METHOD) = ""
    per_group: bool = False


class AgendaSpec(Strict):
    title: Title
    minutes: Minutes | None = None
    phases: list[PhaseSpec] = []


class QuestionsSpec(Strict):
    strength: LongText
    weakness: LongText
    opportunity: LongText
    threat: LongText


class RoomSpec(Strict):
    name: Name
    capacity: Capacity | None = None


class GroupSpec(Strict):
    name: Name
    colour: Colour
    room: Name
    moderator: str | None = None


class ModeratorSpec(Strict):
    username: Username
    name: Line(text.MAX_PERSON, required=True)


class ForumSpec(Strict):
    slug: Slug
    number: ForumNumber | None = None
    kind: Literal["forum", "evaluation"] = "forum"
    title: Title
    motto: Paragraph(text.MAX_LONG) = ""
    date: dt.date | None = None
    date_precision: Literal["day", "month"] = "day"
    venue: Line(text.MAX_TITLE) = ""
    dots_per_participant: Dots = 3
    max_dots_per_measure: DotsPerMeasure = 1
    # Days after the forum until names and organisations are deleted; "never" (None) keeps them.
    # 30 by default: privacy by default (Art. 25 DSGVO), with a month for follow-up questions.
    purge_after_days: PurgeDays | None = DEFAULT_PURGE_DAYS
    questions: QuestionsSpec = QuestionsSpec(**STANDARD_QUESTIONS)
    agenda: list[AgendaSpec] = []
    room: list[RoomSpec] = []
    group: list[GroupSpec] = []

    @field_validator("purge_after_days", mode="before")
    @classmethod
    def never_purge(cls, value):
        """Read "never" as no automatic purge; TOML has no null."""
        if isinstance(value, bool):  # pydantic would read true as 1 day
            raise ValueError(f'Anzahl Tage oder "{NEVER}" erwartet')
        return None if value == NEVER else value

    @model_validator(mode="before")
    @classmethod
    def month_dates(cls, data):
        """Accept "2025-06" for an event whose day is not fixed yet."""
        value = data.get("date") if isinstance(data, dict) else None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = map(int, value.split("-"))
            if not 1 <= month <= 12:
                raise ValueError(f"Monat {month} gibt es nicht")
            data = {**data, "date": dt.date(year, month, 1), "date_precision": "month"}
        return data

    @model_validator(mode="after")
    def groups_fit_rooms(self):
        """Every group meets in a room of this forum; names are unique."""
        rooms = [room.name for room in self.room]
        _unique(rooms, "Raumnamen")
        _unique([group.name for group in self.group], "Gruppennamen")
        for group in self.group:
            if group.room not in rooms:
                raise ValueError(
                    f"Gruppe {group.name}: Raum „{group.room}“ ist nicht unter den Räumen ({', '.join(rooms)})"
                )
        return self


# What the years of an Umsetzungshorizont may be: "bis 2026", "2027–2028"; empty = none given.
HorizonYears = Line(text.MAX_YEARS)


class HorizonsSpec(Strict):
    """The years each Umsetzungshorizont stands for in the plan, printed beside it."""

    short: HorizonYears = ""
    medium: HorizonYears = ""
    long: HorizonYears = ""


class ProcessSpec(Strict):
    slug: Slug
    title: Title
    organiser: Line(text.MAX_TITLE) = ""
    guiding_goals: list[Paragraph(text.MAX_LONG)] = Field(min_length=1)
    horizons: HorizonsSpec = HorizonsSpec()

    @field_validator("guiding_goals")
    @classmethod
    def goals_not_blank(cls, goals):
        """A Leitziel needs words."""
        if any(not goal.strip() for goal in goals):
            raise ValueError("ein Leitziel ist leer")
        return goals


class SeedFile(Strict):
    process: ProcessSpec
    moderator: list[ModeratorSpec] = []
    forum: list[ForumSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def references_resolve(self):
        """Forum slugs are unique and every named moderator is declared."""
        _unique([forum.slug for forum in self.forum], "Kurznamen der Foren")
        usernames = {moderator.username for moderator in self.moderator}
        _unique([moderator.username for moderator in self.moderator], "Benutzernamen")
        for forum in self.forum:
            for group in forum.group:
                if group.moderator and group.moderator not in usernames:
                    raise ValueError(
                        f"forum[{forum.slug}].group[{group.name}]: Ansprechpartner "
                        f"„{group.moderator}“ steht nicht unter [[moderator]]"
                    )
        return self


def _unique(values: list[str], what: str) -> None:
    duplicates = sorted({value for value in values if values.count(value) > 1})
    if duplicates:
        raise ValueError(f"{what} doppelt: {', '.join(duplicates)}")
