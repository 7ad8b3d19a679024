"""Console forms; their field names follow the seed file so both say the same things."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from forum.form_base import RequestForm, SubForm
from forum.services import text
from forum.services.seed_schema import DEFAULT_PURGE_DAYS
from forum.services.text import cleaned, cleaned_line
from forum.validators import Bounded, WholeNumberField


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


PHASES = [
    ("", "–"),
    ("warmup", _l("Warm-up")),
    ("swot", _l("4-Feldermatrix")),
    ("goals", _l("Ziele und Maßnahmen")),
    ("owners", _l("Verantwortlichkeiten und Methode")),
    ("horizon", _l("Umsetzungshorizont")),
    ("plenum", _l("Plenum")),
]
SLUG = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Nur Kleinbuchstaben, Ziffern und Bindestriche.")
)


def line(label, max: int, required: bool = False, *more) -> StringField:
    """A single-line text field, cleaned and bounded as every text is (forum.services.text)."""
    return StringField(label, filters=[cleaned_line], validators=[Bounded(max, required), *more])


def area(label, max: int = text.MAX_LONG) -> TextAreaField:
    """A multi-line text field, cleaned and bounded; the seed schema says which may stay empty."""
    return TextAreaField(label, filters=[cleaned], validators=[Bounded(max)])


class HorizonsForm(SubForm):
    """The years each Umsetzungshorizont stands for, as [process.horizons] in the seed file."""

    short = line(_l("Jahre für kurzfristig"), text.MAX_YEARS)
    medium = line(_l("Jahre für mittelfristig"), text.MAX_YEARS)
    long = line(_l("Jahre für langfristig"), text.MAX_YEARS)


class ProcessForm(RequestForm):
    """A participation process and its Leitziele."""

    title = line(_l("Titel"), text.MAX_TITLE, True)
    slug = line(_l("Kurzname (für Adressen)"), text.MAX_SLUG, True, SLUG)
    organiser = line(_l("Veranstalter"), text.MAX_TITLE)
    guiding_goals = FieldList(area(_l("Leitziel")), min_entries=1)
    horizons = FormField(HorizonsForm)


class AgendaRow(SubForm):
    """A Tagesordnungspunkt, or a timed phase of the point above it."""

    level = SelectField(
        _l("Ebene"),
        choices=choices([("item", _l("Punkt")), ("phase", _l("Phase"))]),
        default="item",
    )
    title = line(_l("Titel"), text.MAX_TITLE)
    minutes = WholeNumberField(_l("Minuten"), validators=[Optional(), NumberRange(min=1, max=600)])
    key = SelectField(_l("Phase"), choices=choices(PHASES), default="")
    method = line(_l("Methode"), text.MAX_METHOD)
    per_group = BooleanField(_l("je Gruppe"))


class RoomRow(SubForm):
    """A room and how many people fit in."""

    name = line(_l("Raum"), text.MAX_NAME)
    capacity = WholeNumberField(_l("Plätze"), validators=[Optional(), NumberRange(min=1, max=5000)])


class GroupRow(SubForm):
    """A group with colour, room and moderator."""

    name = line(_l("Gruppe"), text.MAX_NAME)
    colour = StringField(_l("Farbe"), default="#777777")
    room = line(_l("Raum"), text.MAX_NAME)
    moderator = SelectField(_l("Ansprechpartner"), choices=choices([("", "–")]), default="")


class QuestionsForm(SubForm):
    """The four guiding questions of the SWOT matrix."""

    strength = area(_l("Stärken"))
    weakness = area(_l("Schwächen"))
    opportunity = area(_l("Chancen"))
    threat = area(_l("Risiken"))


class ForumForm(RequestForm):
    """Everything a seed file says about one forum."""

    title = line(_l("Titel"), text.MAX_TITLE, True)
    slug = line(_l("Kurzname (für Adressen)"), text.MAX_SLUG, True, SLUG)
    number = WholeNumberField(_l("Nummer"), validators=[Optional(), NumberRange(min=1, max=99)])
    kind = SelectField(
        _l("Art"),
        choices=choices(
            [("forum", _l("Themenforum")), ("evaluation", _l("Auswertungsveranstaltung"))]
        ),
    )
    date = StringField(
        _l("Datum"),
        validators=[
            Optional(),
            Regexp(r"^\d{4}-\d{2}(-\d{2})?$", message=_l("JJJJ-MM-TT oder JJJJ-MM")),
        ],
    )
    venue = line(_l("Ort"), text.MAX_TITLE)
    motto = area(_l("Leitgedanke"))
    dots_per_participant = WholeNumberField(_l("Punkte je Teilnehmende"), default=3)
    max_dots_per_measure = WholeNumberField(_l("Höchstens Punkte je Maßnahme"), default=1)
    purge_after_days = WholeNumberField(
        _l("Namen und Organisationen automatisch löschen nach … Tagen"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        default=DEFAULT_PURGE_DAYS,
    )
    questions = FormField(QuestionsForm)
    agenda = FieldList(FormField(AgendaRow))
    room = FieldList(FormField(RoomRow))
    group = FieldList(FormField(GroupRow))


ROLES = [("moderator", _l("Moderation")), ("planner", _l("Planung"))]


class AccountEditForm(RequestForm):
    """Name, role and, only when typed, a new password of an existing account."""

    display_name = line(_l("Anzeigename"), text.MAX_PERSON, True)
    role = SelectField(_l("Rolle"), choices=choices(ROLES))
    password = PasswordField(
        _l("Neues Passwort (leer lassen: bleibt)"), validators=[Optional(), Length(min=10, max=200)]
    )


class AccountDeleteForm(RequestForm):
    """The confirmation that an account is to be deleted."""

    confirm = BooleanField(
        _l("Ja, dieses Konto löschen"),
        validators=[InputRequired(message=_l("Bitte bestätigen Sie das Löschen."))],
    )


class AccountForm(RequestForm):
    """A planner or moderator account."""

    username = StringField(
        _l("Benutzername"),
        filters=[lambda value: value.strip().lower() if value else value],
        validators=[
            InputRequired(),
            Regexp(r"^[a-z0-9._-]{2,80}$", message=_l("2–80 Zeichen: a–z, 0–9, . _ -")),
        ],
    )
    display_name = line(_l("Anzeigename"), text.MAX_PERSON, True)
    role = SelectField(
        _l("Rolle"), choices=choices([("moderator", _l("Moderation")), ("planner", _l("Planung"))])
    )
    password = PasswordField(_l("Passwort"), validators=[InputRequired(), Length(min=10, max=200)])
