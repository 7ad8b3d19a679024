"""The gettext catalogues: complete for each page's languages, compiled, placeholders intact.

The strings are extracted from the source at test time, so a new `_()` anywhere fails here until
the catalogues are updated and translated (README, "Übersetzungen / Translations").
"""

import fnmatch
import gettext
import io
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from forum.i18n import LOCALES

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "forum" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# Pages only moderators and planners see (German and English); every other string can reach a
# participant's phone and needs all four languages, so a new file counts as participant-facing.
STAFF_SOURCES = (
    "templates/auth/*",
    "templates/moderator/*",
    "templates/planner/*",
    "forum/auth.py",
    "forum/cli*.py",
    "forum/moderator/*",
    "forum/planner/*",
    "forum/services/seeding.py",  # seed file problems, shown in the planner console
    "forum/services/accounts.py",  # refused account changes, shown in the planner console
)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
# gettext orders plural forms by CLDR category in this order.
CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")


@cache
def extracted() -> dict[str, frozenset[str]]:
    """Extract every interface string from the source now, with the files it appears in."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, set()).add(filename.replace("\\", "/"))
    return {msgid: frozenset(files) for msgid, files in found.items()}


def is_staff_only(files: frozenset[str]) -> bool:
    """Tell whether a string appears only on moderator, planner and sign-in pages."""
    return all(any(fnmatch.fnmatch(f, pattern) for pattern in STAFF_SOURCES) for f in files)


def participant_strings() -> list[str]:
    """Return the strings a participant's phone can show."""
    return sorted(msgid for msgid, files in extracted().items() if not is_staff_only(files))


@cache
def catalogue(lang: str):
    """Read one language's .po file."""
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def untranslated(lang: str, msgids: list[str]) -> list[str]:
    """Return the msgids without a usable translation: absent, fuzzy or with an empty form."""
    missing = []
    for msgid in msgids:
        message = catalogue(lang).get(msgid)
        if message is None or message.fuzzy:
            missing.append(msgid)
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            missing.append(msgid)
    return missing


def test_extraction_sees_both_audiences():
    """Guard the tests below against an extraction that finds nothing or sorts wrongly."""
    strings = extracted()
    assert len(strings) > 150
    assert not is_staff_only(strings["Karte hinzufügen"])
    assert not is_staff_only(strings["Stärken"])
    assert is_staff_only(strings["Beamer-Ansicht"])


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_every_participant_string_is_translated(lang):
    missing = untranslated(lang, participant_strings())
    assert not missing, f"{len(missing)} strings without {lang} translation:\n" + "\n".join(missing)


def test_every_staff_string_has_english():
    missing = untranslated("en", sorted(extracted()))
    assert not missing, f"{len(missing)} strings without English:\n" + "\n".join(missing)


def test_german_catalogue_lists_every_string():
    """German is the source language: its msgstr may stay empty, but the catalogue is current."""
    missing = [msgid for msgid in extracted() if catalogue("de").get(msgid) is None]
    assert not missing, "run pybabel update (README):\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LOCALES)
def test_compiled_catalogue_matches_po(lang):
    """The committed .mo holds exactly what compiling the .po gives now."""
    fresh = io.BytesIO()
    write_mo(fresh, catalogue(lang))
    fresh.seek(0)
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        committed = read_mo(mo)
    compiled = read_mo(fresh)

    def strings(cat):
        return {_hashable(m.id): _hashable(m.string) for m in cat if m.id}

    assert strings(committed) == strings(compiled), "run pybabel compile -d forum/translations"
    assert committed.plural_forms == compiled.plural_forms


def _hashable(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _tokens(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", ["en", "uk", "ar"])
def test_placeholders_survive_translation(lang):
    """%(name)s placeholders (and %% escapes) stay the same, or formatting raises at runtime."""
    wrong = []
    for message in catalogue(lang):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            if _tokens(message.string) != _tokens(message.id):
                wrong.append(f"{message.id!r} → {message.string!r}")
            continue
        allowed = set(_tokens(message.id[0])) | set(_tokens(message.id[1]))
        for form in message.string:
            if not set(_tokens(form)) <= allowed or "%" in PLACEHOLDER.sub("", form):
                wrong.append(f"{message.id[0]!r} → {form!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LOCALES)
def test_plural_forms_follow_the_language(lang):
    """The catalogue's plural formula picks CLDR's form for every count (uk: 3, ar: 6 forms)."""
    header = catalogue(lang)
    rule = Locale.parse(lang).plural_form
    categories = [c for c in CATEGORY_ORDER if c in rule.tags or c == "other"]
    if lang == "uk":
        categories.remove("other")  # only for fractions; counts of cards and dots are whole
    assert header.num_plurals == len(categories)
    pick = gettext.c2py(header.plural_expr)
    for n in range(0, 1201):
        assert categories[pick(n)] == rule(n), f"{lang}: {n} gets form {pick(n)}"
