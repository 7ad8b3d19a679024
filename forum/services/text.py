"""Clean typed text so that every store and export (XML in DOCX too) can hold it."""

import re

# Characters XML 1.0 cannot hold, plus lone surrogates; tab and newline are kept.
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")


def clean_text(value: str | None) -> tuple[str, bool]:
    """Return the text with line breaks unified and invalid characters removed, and whether it changed."""
    original = value or ""
    cleaned = _INVALID.sub("", _LINE_BREAKS.sub("\n", original)).strip()
    return cleaned, cleaned != original.strip().replace("\r\n", "\n")


def cleaned(value: str | None) -> str | None:
    """WTForms filter: the text without invalid characters (None and empty stay as they are)."""
    return clean_text(value)[0] if value else value
