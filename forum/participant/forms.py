"""Forms participants fill in on their phones."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from forum.form_base import RequestForm
from forum.models import QUADRANTS
from forum.services.cards import MAX_CARD_LENGTH, text_problem
from forum.services.text import clean_text, cleaned
from forum.validators import KEY
from forum.vocabulary import ORG_TYPE_CHOICES


class JoinForm(RequestForm):
    """Name and organisation are optional; the organisation type spreads the groups."""

    name = StringField(
        _l("Name (freiwillig)"),
        # A post without the field (not sent by any browser, but possible) means "no name".
        default="",
        filters=[cleaned],
        validators=[Optional(), Length(max=120)],
    )
    organisation = StringField(
        _l("Organisation (freiwillig)"),
        default="",
        filters=[cleaned],
        validators=[Optional(), Length(max=200)],
    )
    org_type = RadioField(
        _l("Ich bin hier für"),
        choices=[SelectChoice(value, label) for value, label in ORG_TYPE_CHOICES],
        validators=[InputRequired(message=_l("Bitte wählen Sie eine Art der Organisation."))],
    )
    token = HiddenField(validators=[KEY])


class CardForm(RequestForm):
    """One SWOT card; the text is checked and cleaned in validate_text."""

    quadrant = HiddenField(validators=[AnyOf(QUADRANTS)])
    text = TextAreaField(_l("Neue Karte"))
    client_key = HiddenField(validators=[KEY])

    def validate_text(self, field):
        """Refuse empty, over-long or control-character text, keeping it in the form."""
        field.data, problem = text_problem(field.data)
        if problem == "empty":
            raise ValidationError(_l("Bitte schreiben Sie etwas auf die Karte."))
        if problem == "long":
            raise ValidationError(
                _l(
                    "Die Karte ist zu lang: %(count)d Zeichen, erlaubt sind %(max)d. "
                    "Bitte kürzen Sie den Text.",
                    count=len(field.data),
                    max=MAX_CARD_LENGTH,
                )
            )
        if problem == "changed":
            raise ValidationError(
                _l(
                    "Der Text enthielt unsichtbare Steuerzeichen. Wir haben sie entfernt – "
                    "bitte prüfen Sie den Text und senden Sie ihn erneut."
                )
            )


class EditCardForm(CardForm):
    """Edit an existing card; the version detects edits made meanwhile."""

    client_key = HiddenField()
    version = IntegerField(validators=[InputRequired()])


class VoteForm(RequestForm):
    """A dot on a measure; the key makes a repeated tap place it once."""

    client_key = HiddenField(validators=[KEY])


class ProposalForm(RequestForm):
    """A goal and a measure proposed from a phone."""

    goal = TextAreaField(_l("Ziel (freiwillig)"))
    title = TextAreaField(_l("Maßnahme"))
    client_key = HiddenField(validators=[KEY])

    def validate_goal(self, field):
        """Clean the goal; it may stay empty."""
        field.data = clean_text(field.data)[0]
        if len(field.data) > MAX_CARD_LENGTH:
            raise ValidationError(_l("Höchstens %(max)d Zeichen.", max=MAX_CARD_LENGTH))

    def validate_title(self, field):
        """A measure needs words, within the card length."""
        field.data = clean_text(field.data)[0]
        if not field.data:
            raise ValidationError(_l("Bitte beschreiben Sie die Maßnahme."))
        if len(field.data) > MAX_CARD_LENGTH:
            raise ValidationError(_l("Höchstens %(max)d Zeichen.", max=MAX_CARD_LENGTH))
