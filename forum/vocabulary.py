"""Interface words for the code's vocabularies, translatable with Flask-Babel."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

QUADRANT_LABELS = {
    "strength": _l("Stärken"),
    "weakness": _l("Schwächen"),
    "opportunity": _l("Chancen"),
    "threat": _l("Risiken"),
}

ORG_TYPE_CHOICES = [
    ("full_time", _l("Hauptamt")),
    ("volunteer", _l("Ehrenamt")),
    ("migrant_org", _l("Migrant*innenorganisation")),
    ("administration", _l("Verwaltung")),
    ("other", _l("Sonstige")),
]

HORIZON_LABELS = {
    "short": _l("kurzfristig"),
    "medium": _l("mittelfristig"),
    "long": _l("langfristig"),
}


def forum_date(forum) -> str:
    """Format a forum's date to its precision: '23. Januar 2025' or 'Juni 2025'."""
    if forum.date is None:
        return ""
    pattern = "MMMM y" if forum.date_precision == "month" else "d. MMMM y"
    return format_date(forum.date, pattern)
