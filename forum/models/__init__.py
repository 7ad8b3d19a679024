"""All models, importable from one place."""

from forum.models.auswertung import Theme, ThemeCard
from forum.models.common import FORUM_KINDS, HORIZONS, QUADRANTS, ROLES
from forum.models.people import ORG_TYPE_LABELS, Participant, User
from forum.models.process import AgendaItem, Forum, GuidingGoal, GuidingQuestion, Process
from forum.models.venue import Group, Room
from forum.models.work import (
    DECISIONS,
    BoardChange,
    Card,
    Measure,
    Vote,
    measure_card,
    measure_theme,
)

__all__ = [
    "DECISIONS",
    "FORUM_KINDS",
    "HORIZONS",
    "ORG_TYPE_LABELS",
    "QUADRANTS",
    "ROLES",
    "AgendaItem",
    "BoardChange",
    "Card",
    "Forum",
    "Group",
    "GuidingGoal",
    "GuidingQuestion",
    "Measure",
    "Participant",
    "Process",
    "Room",
    "Theme",
    "ThemeCard",
    "User",
    "Vote",
    "measure_card",
    "measure_theme",
]
