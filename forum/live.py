"""Answers for live regions: what changed since the client's version as JSON, or 304.

One answer shape for every live page (forum/static/js/live.js applies it):
`regions` maps element ids to innerHTML replaced whole (a full answer puts whole lists here);
`items` are single list items by outerHTML, each with the id of the list it belongs `in`;
`remove` names items gone since the client's version; `timer` is the phase state, as the
/timer routes return it. Every item of a list carries a unique `data-order` (numbers,
compared one after the other; see order) that reproduces the fresh page's order, so the
client can place a new or moved item alone.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from flask import current_app, jsonify, request
from flask.wrappers import Response

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def live_response(etag: str, build: Callable[[], dict]) -> Response:
    """Answer a poll: 304 when the client holds `etag`, else the answer `build` makes (see answer)."""
    if etag in request.if_none_match:
        return not_modified(etag)
    return _versioned(jsonify(build()), etag)


def regions_response(etag: str, build: Callable[[], dict[str, str]]) -> Response:
    """Answer a poll with whole regions only (built only when the client's copy is old)."""
    return live_response(etag, lambda: answer(regions=build()))


def answer(
    regions: dict[str, str] | None = None,
    items: Iterable[dict] = (),
    remove: Iterable[str] = (),
    timer: dict | None = None,
) -> dict:
    """Assemble a live answer, leaving out the parts that are empty."""
    body: dict = {"regions": regions or {}}
    if items := list(items):
        body["items"] = items
    if remove := list(remove):
        body["remove"] = remove
    if timer is not None:
        body["timer"] = timer
    return body


def item(element_id: str, list_id: str, html: str) -> dict:
    """Describe one list item: its element id, its list's id and its outerHTML."""
    return {"id": element_id, "in": list_id, "html": html.strip()}


def order(*parts: int | float | datetime) -> str:
    """Spell a data-order: numbers, datetimes as UTC microseconds, e.g. (created_at, id)."""
    return " ".join(str(_number(part)) for part in parts)


def _number(part: int | float | datetime) -> int | float:
    if isinstance(part, datetime):
        # The models store naive UTC; integer microseconds compare exactly in JavaScript.
        moment = part if part.tzinfo else part.replace(tzinfo=UTC)
        return (moment - _EPOCH) // timedelta(microseconds=1)
    return part


def not_modified(etag: str) -> Response:
    """Answer 304: the client's copy, version `etag`, is current."""
    return _versioned(current_app.response_class(status=304), etag)


def _versioned(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Browsers must ask every time: the version, not a cache lifetime, says what is current.
    response.headers["Cache-Control"] = "no-cache, private"
    return response
