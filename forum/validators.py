"""Validators several audiences' forms share."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import Regexp

# Idempotency keys and phone tokens: what secrets.token_urlsafe makes, within the column size.
KEY = Regexp(r"^[A-Za-z0-9_-]{22,64}$", message=_l("Das Formular ist unvollständig."))
