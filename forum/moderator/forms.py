"""Forms of the moderator console."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Optional

from forum.form_base import RequestForm
from forum.models import QUADRANTS
from forum.services.text import MAX_CARD, MAX_LONG, MAX_TITLE, cleaned, cleaned_line
from forum.validators import KEY, Bounded
from forum.vocabulary import HORIZON_LABELS, QUADRANT_LABELS


class QuickCardForm(RequestForm):
    """Type a paper card, choose its quadrant, press Enter."""

    text = StringField(
        _l("Text der Karte"),
        filters=[cleaned],
        validators=[Bounded(MAX_CARD, True, _l("Bitte den Text der Karte eingeben."))],
    )
    quadrant = SelectField(
        _l("Feld"), choices=[SelectChoice(q, label) for q, label in QUADRANT_LABELS.items()]
    )
    client_key = HiddenField(validators=[KEY])


class CardEditForm(RequestForm):
    """Edit any card of the group; the version detects edits made meanwhile."""

    text = TextAreaField(
        _l("Text der Karte"),
        filters=[cleaned],
        validators=[Bounded(MAX_CARD, True, _l("Bitte den Text der Karte eingeben."))],
    )
    quadrant = HiddenField(validators=[AnyOf(QUADRANTS)])
    version = IntegerField(validators=[InputRequired()])


class MeasureForm(RequestForm):
    """A goal and measure with everything the plan update needs."""

    goal = TextAreaField(_l("Ziel"), filters=[cleaned], validators=[Bounded(MAX_LONG)])
    title = TextAreaField(
        _l("Maßnahme"),
        filters=[cleaned],
        validators=[Bounded(MAX_LONG, True, _l("Bitte beschreiben Sie die Maßnahme."))],
    )
    owner = StringField(
        _l("Verantwortlich (Institution oder Rolle)"),
        filters=[cleaned_line],
        validators=[Bounded(MAX_TITLE)],
    )
    method = TextAreaField(
        _l("Methodische Umsetzung"), filters=[cleaned], validators=[Bounded(MAX_LONG)]
    )
    horizon = RadioField(
        _l("Umsetzungshorizont"),
        choices=[SelectChoice(key, label) for key, label in HORIZON_LABELS.items()],
        validators=[Optional()],
    )
    indicator = TextAreaField(
        _l("Indikator (messbar)"), filters=[cleaned], validators=[Bounded(MAX_LONG)]
    )
    guiding_goal = SelectField(_l("Leitziel"), coerce=int, choices=[SelectChoice(0, "–")])
    version = IntegerField(validators=[Optional()])
    # Only the console's add form sends a key; the edit form has none. Python counts control
    # characters such as \x1e as space, so Optional() must not strip: such a key is checked.
    client_key = HiddenField(validators=[Optional(strip_whitespace=False), KEY])
