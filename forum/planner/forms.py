"""Console forms; their field names follow the seed file so both say the same things."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from forum.services.seed_schema import DEFAULT_PURGE_DAYS


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


PHASES = [
    ("", "–"),
    ("warmup", "Warm-up"),
    ("swot", "4-Feldermatrix"),
    ("goals", "Ziele und Maßnahmen"),
    ("owners", "Verantwortlichkeiten und Methode"),
    ("horizon", "Umsetzungshorizont"),
    ("plenum", "Plenum"),
]
SLUG = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message="Nur Kleinbuchstaben, Ziffern und Bindestriche."
)


class ProcessForm(FlaskForm):
    """A participation process and its Leitziele."""

    title = StringField("Titel", validators=[InputRequired(), Length(max=300)])
    slug = StringField("Kurzname (für Adressen)", validators=[InputRequired(), SLUG])
    organiser = StringField("Veranstalter", validators=[Length(max=300)])
    guiding_goals = FieldList(TextAreaField("Leitziel"), min_entries=1)


class AgendaRow(Form):
    """A Tagesordnungspunkt, or a timed phase of the point above it."""

    level = SelectField(
        "Ebene", choices=choices([("item", "Punkt"), ("phase", "Phase")]), default="item"
    )
    title = StringField("Titel", validators=[Length(max=300)])
    minutes = IntegerField("Minuten", validators=[Optional(), NumberRange(min=1, max=600)])
    key = SelectField("Phase", choices=choices(PHASES), default="")
    method = StringField("Methode", validators=[Length(max=120)])
    per_group = BooleanField("je Gruppe")


class RoomRow(Form):
    """A room and how many people fit in."""

    name = StringField("Raum", validators=[Length(max=80)])
    capacity = IntegerField("Plätze", validators=[Optional(), NumberRange(min=1, max=5000)])


class GroupRow(Form):
    """A group with colour, room and moderator."""

    name = StringField("Gruppe", validators=[Length(max=80)])
    colour = StringField("Farbe", default="#777777")
    room = StringField("Raum")
    moderator = SelectField("Ansprechpartner", choices=choices([("", "–")]), default="")


class QuestionsForm(Form):
    """The four guiding questions of the SWOT matrix."""

    strength = TextAreaField("Stärken")
    weakness = TextAreaField("Schwächen")
    opportunity = TextAreaField("Chancen")
    threat = TextAreaField("Risiken")


class ForumForm(FlaskForm):
    """Everything a seed file says about one forum."""

    title = StringField("Titel", validators=[InputRequired(), Length(max=300)])
    slug = StringField("Kurzname (für Adressen)", validators=[InputRequired(), SLUG])
    number = IntegerField("Nummer", validators=[Optional(), NumberRange(min=1, max=99)])
    kind = SelectField(
        "Art",
        choices=choices([("forum", "Themenforum"), ("evaluation", "Auswertungsveranstaltung")]),
    )
    date = StringField(
        "Datum",
        validators=[
            Optional(),
            Regexp(r"^\d{4}-\d{2}(-\d{2})?$", message="JJJJ-MM-TT oder JJJJ-MM"),
        ],
    )
    venue = StringField("Ort", validators=[Length(max=300)])
    motto = TextAreaField("Leitgedanke")
    dots_per_participant = IntegerField("Punkte je Teilnehmende", default=3)
    max_dots_per_measure = IntegerField("Höchstens Punkte je Maßnahme", default=1)
    purge_after_days = IntegerField(
        _l("Namen und Organisationen automatisch löschen nach … Tagen"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        default=DEFAULT_PURGE_DAYS,
    )
    questions = FormField(QuestionsForm)
    agenda = FieldList(FormField(AgendaRow))
    room = FieldList(FormField(RoomRow))
    group = FieldList(FormField(GroupRow))


class AccountForm(FlaskForm):
    """A planner or moderator account."""

    username = StringField(
        "Benutzername",
        filters=[lambda value: value.strip().lower() if value else value],
        validators=[
            InputRequired(),
            Regexp(r"^[a-z0-9._-]{2,80}$", message="2–80 Zeichen: a–z, 0–9, . _ -"),
        ],
    )
    display_name = StringField("Anzeigename", validators=[InputRequired(), Length(max=120)])
    role = SelectField(
        "Rolle", choices=choices([("moderator", "Moderation"), ("planner", "Planung")])
    )
    password = PasswordField("Passwort", validators=[InputRequired(), Length(min=10, max=200)])
