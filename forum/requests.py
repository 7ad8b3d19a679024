"""The request class: NUL characters never reach a view, a form or the database."""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    pairs = list(values.items(multi=True))
    if not any("\x00" in key or "\x00" in value for key, value in pairs):
        return values
    # PostgreSQL refuses NUL in text and no keyboard types it: drop it wherever it comes from.
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in pairs
    )


class CleanRequest(Request):
    """A Flask request whose form and query values hold no NUL characters."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict:
        """The query string's values, without NUL characters."""
        return _without_nul(super().args)
