"""Column helpers and vocabularies shared by the models."""

from datetime import UTC, datetime

QUADRANTS = ("strength", "weakness", "opportunity", "threat")
HORIZONS = ("short", "medium", "long")
FORUM_KINDS = ("forum", "evaluation")
ROLES = ("planner", "moderator")


def utcnow() -> datetime:
    """Return the current UTC time, naive, as both databases store it; a per-row default."""
    return datetime.now(UTC).replace(tzinfo=None)
