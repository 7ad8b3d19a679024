"""Checks of the forum form beyond its fields, and problems named by the labels a planner sees."""

import re

from flask_babel import gettext as _
from pydantic import ValidationError

from forum.extensions import db
from forum.models import User
from forum.planner.forms import ForumForm
from forum.services.forum_setup import (
    number_taken_by,
    slug_taken,
    split_title,
    title_repeats_label,
)
from forum.services.seeding import SeedError, describe_errors

# The lists of the form that grow by a row on "Weitere Zeile", and how a row is named.
ROW_LISTS = ("agenda", "room", "group")


def row_label(kind: str, number: int, field_label: str) -> str:
    """Name a field of a row for people and screen readers: 'Gruppe 2: Raum'."""
    prefix = {"agenda": _("Tagesordnung"), "room": _("Raum"), "group": _("Gruppe")}[kind]
    return f"{prefix} {number}: {field_label}"


def refuse_clashes(form: ForumForm, process, forum) -> bool:
    """Note a taken number, short name or login at its field; tell whether there was any."""
    title, number = split_title(form.title.data or "", form.number.data)
    if title_repeats_label(title, number):
        form.title.errors.append(
            _(
                "Bitte nur das Thema eingeben, z. B. „Arbeit und Ausbildung“: "
                "„%(number)s. Themenforum“ ergibt sich aus der Nummer.",
                number=number or "N",
            )
        )
    other = number_taken_by(process, number, forum)
    if other is not None:
        form.number.errors.append(
            _(
                "Das %(number)s. Themenforum gibt es in diesem Prozess schon („%(title)s“). "
                "Bitte eine andere Nummer wählen.",
                number=number,
                title=other.title,
            )
        )
    if form.slug.data and slug_taken(form.slug.data, forum):
        form.slug.errors.append(
            # The write path's own message (seeding.save_forum), already translated.
            _("„%(slug)s“ gehört schon zu einer anderen Veranstaltung", slug=form.slug.data)
        )
    logins = [row.form.new_login for row in form.group if row.form.new_login.data]
    taken = set(
        db.session.execute(
            db.select(User.username).where(User.username.in_([f.data for f in logins]))
        ).scalars()
    )
    seen = set()
    for row in form.group:
        field = row.form.new_login
        if not field.data:
            continue
        if not row.form.name.data:
            field.errors.append(_("Bitte zuerst die Gruppe benennen."))
        elif field.data in taken:
            field.errors.append(
                _(
                    "Den Benutzernamen „%(login)s“ gibt es schon; das Konto in der Liste wählen "
                    "oder einen anderen Namen eingeben.",
                    login=field.data,
                )
            )
        elif field.data in seen:
            field.errors.append(_("Dieser Benutzername steht schon in einer anderen Zeile."))
        seen.add(field.data)
    return any(field.errors for field in [form.title, form.number, form.slug, *logins])


def labelled_problems(error: Exception, form) -> list[str]:
    """Say what is wrong with the labels of the form's fields, never the seed file's keys."""
    if isinstance(error, SeedError):
        return [_in_words(problem) for problem in error.problems]
    assert isinstance(error, ValidationError)
    problems = []
    for problem, described in zip(error.errors(), describe_errors(error, {}), strict=True):
        loc = problem["loc"]
        reason = described.removeprefix(_where(loc) + ": ")
        field, label = _field(form, loc)
        if field is not None and field.type not in ("FieldList", "FormField"):
            field.errors.append(reason)
        problems.append(f"{label}: {reason}" if label else reason)
    return problems


def _where(loc: tuple) -> str:
    # How describe_errors() names a place in an empty mapping: group[3].room, or "Datei".
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts[-1] += f"[{key + 1}]"
        else:
            parts.append(str(key))
    return ".".join(parts) or "Datei"


def _field(form, loc: tuple):
    """Return (field, label) for a place in the forum's seed mapping, or (None, '')."""
    if not loc:
        return None, ""
    name = loc[0]
    if name == "questions" and len(loc) > 1 and loc[1] in form.questions.form:
        field = form.questions.form[loc[1]]
        return field, f"{form.questions.label.text}: {field.label.text}"
    if name in ("room", "group") and len(loc) > 2:
        rows = [row for row in form[name] if row.form.name.data]
        if loc[1] < len(rows) and loc[2] in rows[loc[1]].form:
            row = rows[loc[1]]
            field = row.form[loc[2]]
            return field, row_label(name, _number(row), field.label.text)
    if name == "agenda" and len(loc) > 2:
        return _agenda_field(form, loc)
    if name in form and name not in ROW_LISTS and name != "questions":
        return form[name], form[name].label.text
    return None, ""


def _agenda_field(form: ForumForm, loc: tuple):
    # The mapping nests phases under their item; the form lists both as rows (specs._agenda).
    places: dict[tuple, object] = {}
    item = phase = -1
    for row in form.agenda:
        if not row.form.title.data:
            continue
        if row.form.level.data == "phase" and item >= 0:
            phase += 1
            places[(item, "phases", phase)] = row
        else:
            item, phase = item + 1, -1
            places[(item,)] = row
    key, attribute = (
        (tuple(loc[1:4]), loc[4] if len(loc) > 4 else None)
        if "phases" in loc
        else ((loc[1],), loc[2])
    )
    row = places.get(key)
    if row is None or attribute not in row.form:
        return None, ""
    field = row.form[attribute]
    return field, row_label("agenda", _number(row), field.label.text)


def _number(row) -> int:
    # FieldList names rows group-0, group-1, …; people count from 1.
    return int(row.name.rsplit("-", 1)[1]) + 1


def _in_words(problem: str) -> str:
    # The write path's own messages name seed keys: group[Gelb]: … reads "Gruppe „Gelb“: …".
    problem = re.sub(r"^group\[(.+?)\]", lambda m: _("Gruppe „%(name)s“", name=m.group(1)), problem)
    problem = re.sub(r"^room\[(.+?)\]", lambda m: _("Raum „%(name)s“", name=m.group(1)), problem)
    replacements = {"slug:": _("Kurzname (für Adressen):"), "group:": _("Gruppen:")}
    replacements["guiding_goals:"] = _("Leitziele:")
    for key, words in replacements.items():
        if problem.startswith(key):
            problem = words + problem[len(key) :]
    return problem
