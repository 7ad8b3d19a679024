"""The request class: NUL characters never reach a view, a form or the database, and bloated
forms are refused before anything reads them."""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property

# No form of ours has more than a few hundred values (a merge of every card of a group).
MAX_FORM_VALUES = 500


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    pairs = list(values.items(multi=True))
    if not any("\x00" in key or "\x00" in value for key, value in pairs):
        return values
    # PostgreSQL refuses NUL in text and no keyboard types it: drop it wherever it comes from.
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in pairs
    )


class CleanRequest(Request):
    """A Flask request whose form and query values hold no NUL characters, nor too many values."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__["form"]
        if sum(len(values) for values in form.listvalues()) > MAX_FORM_VALUES:
            # Empty, so the error page (which shows typed text back) does not parse it again.
            self.__dict__["form"] = ImmutableMultiDict()
            raise RequestEntityTooLarge()
        self.__dict__["form"] = _without_nul(form)

    @cached_property
    def args(self) -> ImmutableMultiDict:
        """The query string's values, without NUL characters."""
        return _without_nul(super().args)

    @property
    def wants_json(self) -> bool:
        """Whether the client (a script sending a form) prefers JSON to an HTML page."""
        best = self.accept_mimetypes.best_match(("text/html", "application/json"))
        return best == "application/json"
