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
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from forum.form_base import RequestForm, SubForm
from forum.services import text
from forum.services.forum_setup import parse_date
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


class ForumDate:
    """Accept 23.01.2025 or 01.2025 (only the month), and ISO 2025-01-23 or 2025-01."""

    def __call__(self, form, field):
        if parse_date(field.data) is None:
            raise ValidationError(
                _l("Bitte als TT.MM.JJJJ eingeben, z. B. 23.01.2025 (oder MM.JJJJ).")
            )


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
    guiding_goals = FieldList(area(_l("Leitziel")), _l("Leitziele"), min_entries=1)
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

    def validate(self, extra_validators=None):
        """A timed phase needs its kind and minutes; the timer runs on them."""
        valid = super().validate(extra_validators)
        if self.level.data != "phase" or not self.title.data:
            return valid
        if not self.key.data:
            self.key.errors.append(_l("Bitte eine Phase wählen."))
        if self.minutes.data is None and not self.minutes.errors:
            self.minutes.errors.append(_l("Bitte die Minuten angeben."))
        return valid and not self.key.errors and not self.minutes.errors


class RoomRow(SubForm):
    """A room and how many people fit in."""

    name = line(_l("Name"), text.MAX_NAME)
    capacity = WholeNumberField(_l("Plätze"), validators=[Optional(), NumberRange(min=1, max=5000)])


USERNAME = Regexp(r"^[a-z0-9._-]{2,80}$", message=_l("2–80 Zeichen: a–z, 0–9, . _ -"))


def lower(value):
    """Usernames are kept in lower case, as the accounts form keeps them."""
    return value.strip().lower() if value else value


class GroupRow(SubForm):
    """A group with colour, room and moderator: an existing account or a new one."""

    name = line(_l("Name"), text.MAX_NAME)
    colour = StringField(
        _l("Farbe"),
        default="#777777",
        validators=[Regexp(r"^#[0-9A-Fa-f]{6}$", message=_l("Farbe als #RRGGBB, z. B. #1F5FBF"))],
    )
    room = line(_l("Raum"), text.MAX_NAME)
    moderator = SelectField(_l("Ansprechpartner"), choices=choices([("", "–")]), default="")
    new_name = line(_l("Name der neuen Moderation"), text.MAX_PERSON)
    new_login = StringField(
        _l("Benutzername der neuen Moderation"),
        filters=[lower],
        validators=[Optional(), USERNAME],
    )

    def validate(self, extra_validators=None):
        """A new account needs both name and login, and takes the place of a chosen one."""
        valid = super().validate(extra_validators)
        problem = None
        if self.new_login.data and not self.new_name.data:
            problem = self.new_name, _l("Bitte auch den Namen der neuen Moderation eingeben.")
        elif self.new_name.data and not self.new_login.data:
            problem = (
                self.new_login,
                _l("Bitte einen Benutzernamen für die neue Moderation eingeben."),
            )
        elif self.new_login.data and self.moderator.data:
            problem = (
                self.new_login,
                _l("Entweder ein bestehendes Konto wählen oder ein neues anlegen, nicht beides."),
            )
        if problem:
            field, message = problem
            field.errors.append(message)
        return valid and problem is None


class QuestionsForm(SubForm):
    """The four guiding questions of the SWOT matrix."""

    strength = area(_l("Stärken"))
    weakness = area(_l("Schwächen"))
    opportunity = area(_l("Chancen"))
    threat = area(_l("Risiken"))


class ForumForm(RequestForm):
    """Everything a seed file says about one forum."""

    title = line(_l("Titel"), text.MAX_TITLE, True)
    slug = line(_l("Kurzname (für Adressen)"), text.MAX_SLUG, False, SLUG)
    number = WholeNumberField(_l("Nummer"), validators=[Optional(), NumberRange(min=1, max=99)])
    kind = SelectField(
        _l("Art"),
        choices=choices(
            [("forum", _l("Themenforum")), ("evaluation", _l("Auswertungsveranstaltung"))]
        ),
    )
    date = StringField(_l("Datum"), filters=[cleaned_line], validators=[Optional(), ForumDate()])
    venue = line(_l("Ort"), text.MAX_TITLE)
    motto = area(_l("Leitgedanke"))
    dots_per_participant = WholeNumberField(_l("Punkte je Teilnehmende"), default=3)
    max_dots_per_measure = WholeNumberField(_l("Höchstens Punkte je Maßnahme"), default=1)
    purge_after_days = WholeNumberField(
        _l("Namen und Organisationen automatisch löschen nach … Tagen"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        default=DEFAULT_PURGE_DAYS,
    )
    questions = FormField(QuestionsForm, _l("Leitfragen der 4-Feldermatrix"))
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
    display_name = line(_l("Anzeigename"), text.MAX_PERSON, True)
    role = SelectField(
        _l("Rolle"), choices=choices([("moderator", _l("Moderation")), ("planner", _l("Planung"))])
    )
    password = PasswordField(_l("Passwort"), validators=[InputRequired(), Length(min=10, max=200)])
