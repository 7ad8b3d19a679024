"""The base of every form: Flask-WTF's form with WTForms' own messages translated once per language."""

from functools import cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.i18n import messages_path
from wtforms.meta import DefaultMeta


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    # Flask-WTF reads and parses the catalogue file again on every request that builds a form.
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _page_translations() -> support.Translations:
    return _wtforms_translations(str(get_locale() or "de"))


class RequestForm(FlaskForm):
    """A FlaskForm whose built-in messages come in the page's language from a cached catalogue."""

    class Meta(FlaskForm.Meta):
        """Form options: translations from the per-language cache."""

        def get_translations(self, form):
            """Return WTForms' messages in the page's language."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _page_translations()


class SubForm(Form):
    """A row or part nested in a RequestForm (FormField): its built-in messages translated too."""

    class Meta(DefaultMeta):
        """Form options: translations from the per-language cache, as in RequestForm."""

        def get_translations(self, form):
            """Return WTForms' messages in the page's language."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _page_translations()
