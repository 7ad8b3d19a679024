"""The base of every form: Flask-WTF's form with WTForms' own messages translated once per language."""

from functools import cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    # Flask-WTF reads and parses the catalogue file again on every request that builds a form.
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class RequestForm(FlaskForm):
    """A FlaskForm whose built-in messages come in the page's language from a cached catalogue."""

    class Meta(FlaskForm.Meta):
        """Form options: translations from the per-language cache."""

        def get_translations(self, form):
            """Return WTForms' messages in the page's language."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_translations(str(get_locale() or "de"))
