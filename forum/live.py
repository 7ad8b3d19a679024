"""Answers for live regions: the regions as JSON, or 304 while the client's version is current."""

from collections.abc import Callable

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
