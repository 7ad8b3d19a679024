"""Validators several audiences' forms share."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import Regexp

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
