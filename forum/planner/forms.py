"""Console forms; their field names follow the seed file so both say the same things."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from forum.form_base import RequestForm
from forum.services.seed_schema import DEFAULT_PURGE_DAYS
from forum.validators import WholeNumberField


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """Drop the spaces around typed text, as the seed schema does, before lengths are checked."""
    return value.strip() if isinstance(value, str) else value


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


class HorizonsForm(Form):
    """The years each Umsetzungshorizont stands for, as [process.horizons] in the seed file."""

    short = StringField(_l("Jahre für kurzfristig"), filters=[strip], validators=[Length(max=60)])
    medium = StringField(
        _l("Jahre für mittelfristig"), filters=[strip], validators=[Length(max=60)]
    )
    long = StringField(_l("Jahre für langfristig"), filters=[strip], validators=[Length(max=60)])


class ProcessForm(RequestForm):
    """A participation process and its Leitziele."""

    title = StringField(_l("Titel"), validators=[InputRequired(), Length(max=300)])
    slug = StringField(_l("Kurzname (für Adressen)"), validators=[InputRequired(), SLUG])
    organiser = StringField(_l("Veranstalter"), validators=[Length(max=300)])
    guiding_goals = FieldList(TextAreaField(_l("Leitziel")), min_entries=1)
    horizons = FormField(HorizonsForm)


class AgendaRow(Form):
    """A Tagesordnungspunkt, or a timed phase of the point above it."""

    level = SelectField(
        _l("Ebene"),
        choices=choices([("item", _l("Punkt")), ("phase", _l("Phase"))]),
        default="item",
    )
    title = StringField(_l("Titel"), validators=[Length(max=300)])
    minutes = WholeNumberField(_l("Minuten"), validators=[Optional(), NumberRange(min=1, max=600)])
    key = SelectField(_l("Phase"), choices=choices(PHASES), default="")
    method = StringField(_l("Methode"), validators=[Length(max=120)])
    per_group = BooleanField(_l("je Gruppe"))


class RoomRow(Form):
    """A room and how many people fit in."""

    name = StringField(_l("Raum"), validators=[Length(max=80)])
    capacity = WholeNumberField(_l("Plätze"), validators=[Optional(), NumberRange(min=1, max=5000)])


class GroupRow(Form):
    """A group with colour, room and moderator."""

    name = StringField(_l("Gruppe"), validators=[Length(max=80)])
    colour = StringField(_l("Farbe"), default="#777777")
    room = StringField(_l("Raum"))
    moderator = SelectField(_l("Ansprechpartner"), choices=choices([("", "–")]), default="")


class QuestionsForm(Form):
    """The four guiding questions of the SWOT matrix."""

    strength = TextAreaField(_l("Stärken"))
    weakness = TextAreaField(_l("Schwächen"))
    opportunity = TextAreaField(_l("Chancen"))
    threat = TextAreaField(_l("Risiken"))


class ForumForm(RequestForm):
    """Everything a seed file says about one forum."""

    title = StringField(_l("Titel"), validators=[InputRequired(), Length(max=300)])
    slug = StringField(_l("Kurzname (für Adressen)"), validators=[InputRequired(), SLUG])
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
    venue = StringField(_l("Ort"), validators=[Length(max=300)])
    motto = TextAreaField(_l("Leitgedanke"))
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
    display_name = StringField(_l("Anzeigename"), validators=[InputRequired(), Length(max=120)])
    role = SelectField(
        _l("Rolle"), choices=choices([("moderator", _l("Moderation")), ("planner", _l("Planung"))])
    )
    password = PasswordField(_l("Passwort"), validators=[InputRequired(), Length(min=10, max=200)])
