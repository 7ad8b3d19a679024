"""Validators several audiences' forms share."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import Regexp, StopValidation, ValidationError

# Idempotency keys and phone tokens: what secrets.token_urlsafe makes, within the column size.
KEY = Regexp(r"^[A-Za-z0-9_-]{22,64}$", message=_l("Das Formular ist unvollständig."))


class WholeNumberField(IntegerField):
    """An IntegerField that refuses absurdly long numbers before range checks see them."""

    def process_formdata(self, valuelist):
        # WTForms' NumberRange converts to float: a 400-digit number would raise OverflowError.
        if valuelist and len(str(valuelist[0]).strip()) > 9:
            self.data = None
            raise ValueError(_("Bitte eine Zahl mit höchstens neun Ziffern eingeben."))
        super().process_formdata(valuelist)


class Bounded:
    """Check a cleaned text field (filters cleaned/cleaned_line): present if required, within max."""

    # WTForms' InputRequired looks at the raw input, so "   " or a lone U+FFFE would pass it and
    # store an empty text; this looks at what will be stored. The typed text stays in the field.

    def __init__(self, max: int, required: bool = False, message=None):
        self.max, self.required, self.message = max, required, message
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field):
        if not field.data:
            if self.required:
                raise StopValidation(self.message or _("Bitte füllen Sie dieses Feld aus."))
            raise StopValidation()  # nothing to check; later validators need no text either
        if len(field.data) > self.max:
            raise ValidationError(
                _(
                    "Höchstens %(max)d Zeichen (%(count)d eingegeben).",
                    max=self.max,
                    count=len(field.data),
                )
            )


def as_id(value) -> int | None:
    """Return a form value as a database id, or None: ASCII digits within a 32-bit integer.

    str.isdigit() alone lets "¹" through (int() then fails) and unbounded numbers overflow the
    databases' integer columns; both would be a 500 instead of a refusal.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if 0 < number < 2**31 else None
    return None
