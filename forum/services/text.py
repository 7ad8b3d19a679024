"""One rule for every typed text, staff and participant: clean it, then bound it by its kind."""

import re

# How many characters each kind of text may hold. Forms, the seed schema and the backup restore
# all read these; a test checks that no rule lets more through than its database column holds.
MAX_SLUG = 80  # short names in addresses
MAX_NAME = 80  # rooms and groups
MAX_PERSON = 120  # display names of accounts, participants' names
MAX_ORGANISATION = 200
MAX_TITLE = 300  # process, forum and agenda titles, organiser, venue, a measure's owner
MAX_METHOD = 120  # the method of an agenda phase
MAX_YEARS = 60  # the years of an Umsetzungshorizont
MAX_CARD = 500  # cards, and goals and measures proposed on phones
# Mottos, guiding questions, Leitziele and the measure fields of the console: enough for a
# paragraph, short enough for every phone's board and the DOCX.
MAX_LONG = 2000

# Characters XML 1.0 cannot hold, plus lone surrogates; tab and newline are kept.
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# Line breaks as keyboards and systems type them: the same text, written with a newline.
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
# Vertical tab and form feed are control characters too, but they separate lines: a newline.
_CONTROL_BREAKS = re.compile("[\x0b\x0c]")
_LINE_SPACE = re.compile("[\t\n]+")


def clean_text(value: str | None, *, line: bool = False) -> tuple[str, bool]:
    """Return the text cleaned (one line if asked) and whether control characters had to go."""
    # Every kind of line break becomes a newline; a CR or CR LF is no change: the writer sees
    # the same text. A participant's card with a change is shown again rather than stored.
    text = _LINE_BREAKS.sub("\n", value or "")
    cleaned = _INVALID.sub("", _CONTROL_BREAKS.sub("\n", text))
    changed = cleaned != text
    if line:
        cleaned = _LINE_SPACE.sub(" ", cleaned)
    return cleaned.strip(), changed


def cleaned(value: str | None) -> str | None:
    """WTForms filter for a multi-line field: the cleaned text (None stays None)."""
    return clean_text(value)[0] if isinstance(value, str) else value


def cleaned_line(value: str | None) -> str | None:
    """WTForms filter for a single-line field: the cleaned text on one line."""
    return clean_text(value, line=True)[0] if isinstance(value, str) else value
