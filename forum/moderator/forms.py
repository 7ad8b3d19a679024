"""Forms of the moderator console."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from forum.form_base import RequestForm
from forum.models import QUADRANTS
from forum.services.cards import MAX_CARD_LENGTH
from forum.services.text import cleaned
from forum.validators import KEY
from forum.vocabulary import HORIZON_LABELS, QUADRANT_LABELS


class QuickCardForm(RequestForm):
    """Type a paper card, choose its quadrant, press Enter."""

    text = StringField(_l("Text der Karte"), filters=[cleaned])
    quadrant = SelectField(
        _l("Feld"), choices=[SelectChoice(q, label) for q, label in QUADRANT_LABELS.items()]
    )
    client_key = HiddenField(validators=[KEY])

    def validate_text(self, field):
        """Refuse empty or over-long cards."""
        if not field.data:
            raise ValidationError(_l("Bitte den Text der Karte eingeben."))
        if len(field.data) > MAX_CARD_LENGTH:
            raise ValidationError(
                _l(
                    "Höchstens %(max)d Zeichen (%(count)d eingegeben).",
                    max=MAX_CARD_LENGTH,
                    count=len(field.data),
                )
            )


class CardEditForm(RequestForm):
    """Edit any card of the group; the version detects edits made meanwhile."""

    text = TextAreaField(
        _l("Text der Karte"),
        filters=[cleaned],
        validators=[InputRequired(), Length(max=MAX_CARD_LENGTH)],
    )
    quadrant = HiddenField(validators=[AnyOf(QUADRANTS)])
    version = IntegerField(validators=[InputRequired()])


class MeasureForm(RequestForm):
    """A goal and measure with everything the plan update needs."""

    goal = TextAreaField(_l("Ziel"), filters=[cleaned], validators=[Length(max=2000)])
    title = TextAreaField(
        _l("Maßnahme"), filters=[cleaned], validators=[InputRequired(), Length(max=2000)]
    )
    owner = StringField(
        _l("Verantwortlich (Institution oder Rolle)"),
        filters=[cleaned],
        validators=[Length(max=300)],
    )
    method = TextAreaField(
        _l("Methodische Umsetzung"), filters=[cleaned], validators=[Length(max=2000)]
    )
    horizon = RadioField(
        _l("Umsetzungshorizont"),
        choices=[SelectChoice(key, label) for key, label in HORIZON_LABELS.items()],
        validators=[Optional()],
    )
    indicator = TextAreaField(
        _l("Indikator (messbar)"), filters=[cleaned], validators=[Length(max=2000)]
    )
    guiding_goal = SelectField(_l("Leitziel"), coerce=int, choices=[SelectChoice(0, "–")])
    version = IntegerField(validators=[Optional()])
    # Only the console's add form sends a key; the edit form has none.
    client_key = HiddenField(validators=[Optional(), KEY])
