"""Answers for live regions: the regions as JSON, or 304 while the client's version is current."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import current_app, jsonify, request
from flask.wrappers import Response


def regions_response(etag: str, build: Callable[[], dict[str, str]]) -> Response:
    """Answer a poll: 304 when the client holds `etag`, else the regions (built only then)."""
    if etag in request.if_none_match:
        return not_modified(etag)
    return _versioned(jsonify(regions=build()), etag)


def not_modified(etag: str) -> Response:
    """Answer 304: the client's copy, version `etag`, is current."""
    return _versioned(current_app.response_class(status=304), etag)


def _versioned(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Browsers must ask every time: the version, not a cache lifetime, says what is current.
    response.headers["Cache-Control"] = "no-cache, private"
    return response


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def order(*parts: int | float | datetime) -> str:
    """Spell a data-order: numbers, datetimes as UTC microseconds, e.g. (created_at, id)."""
    return " ".join(str(_number(part)) for part in parts)


def _number(part: int | float | datetime) -> int | float:
    if isinstance(part, datetime):
        # The models store naive UTC; integer microseconds compare exactly in JavaScript.
        moment = part if part.tzinfo else part.replace(tzinfo=UTC)
        return (moment - _EPOCH) // timedelta(microseconds=1)
    return part
