"""What each value of a JSON backup may be: the same types the seed schema and forms accept."""

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy import Column

from forum.models import DECISIONS, QUADRANTS
from forum.services import text
from forum.services.seed_schema import (
    PHASE_KEYS,
    Capacity,
    Colour,
    Dots,
    DotsPerMeasure,
    ForumNumber,
    Line,
    LongText,
    Minutes,
    Name,
    Paragraph,
    PurgeDays,
    Slug,
    Title,
    Username,
)
from forum.vocabulary import HORIZON_LABELS, ORG_TYPE_CHOICES

# Keys and join codes as secrets.token_urlsafe makes them (forum.validators.KEY).
Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22,64}$")]
JoinCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22,40}$")]
LongParagraph = Paragraph(text.MAX_LONG)
Years = Line(text.MAX_YEARS)

RULES = {
    "process.slug": Slug,
    "process.title": Title,
    "process.organiser": Line(text.MAX_TITLE),
    "process.horizon_short_years": Years,
    "process.horizon_medium_years": Years,
    "process.horizon_long_years": Years,
    "guiding_goal.text": LongText,
    "forum.slug": Slug,
    "forum.number": ForumNumber | None,
    "forum.kind": Literal["forum", "evaluation"],
    "forum.title": Title,
    "forum.motto": LongParagraph,
    "forum.date_precision": Literal["day", "month"],
    "forum.venue": Line(text.MAX_TITLE),
    "forum.join_code": JoinCode,
    "forum.dots_per_participant": Dots,
    "forum.max_dots_per_measure": DotsPerMeasure,
    "forum.purge_after_days": PurgeDays | None,
    "agenda_item.title": Title,
    "agenda_item.minutes": Minutes | None,
    "agenda_item.phase": PHASE_KEYS | None,
    "agenda_item.method": Line(text.MAX_METHOD),
    "guiding_question.quadrant": Literal[QUADRANTS],
    "guiding_question.text": LongText,
    "room.name": Name,
    "room.capacity": Capacity | None,
    "work_group.name": Name,
    "work_group.colour": Colour,
    "user_account.username": Username,
    "user_account.display_name": Line(text.MAX_PERSON, required=True),
    "user_account.role": Literal["moderator", "planner"],
    "participant.token_hash": Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")],
    "participant.name": Line(text.MAX_PERSON) | None,
    "participant.organisation": Line(text.MAX_ORGANISATION) | None,
    "participant.org_type": Literal[tuple(value for value, _ in ORG_TYPE_CHOICES)],
    "card.quadrant": Literal[QUADRANTS],
    "card.text": Paragraph(text.MAX_CARD, required=True),
    "card.client_key": Key | None,
    "measure.goal": LongParagraph,
    "measure.title": Paragraph(text.MAX_LONG, required=True),
    "measure.owner": Line(text.MAX_TITLE),
    "measure.method": LongParagraph,
    "measure.horizon": Literal[tuple(HORIZON_LABELS)] | None,
    "measure.indicator": LongParagraph,
    "measure.client_key": Key | None,
    "measure.decision": Literal[DECISIONS],
    "measure.decision_reason": LongParagraph,
    "vote.client_key": Key | None,
    "theme.quadrant": Literal[QUADRANTS],
    "theme.title": Line(text.MAX_TITLE, required=True),
}
_ADAPTERS = {name: TypeAdapter(rule) for name, rule in RULES.items()}


def problem(column: Column, value) -> ValidationError | None:
    """Return why a value cannot go into this column as the forms would store it, or None."""
    adapter = _ADAPTERS.get(f"{column.table.name}.{column.name}")
    try:
        adapter and adapter.validate_python(value, strict=True)
    except ValidationError as error:
        return error
    return None
