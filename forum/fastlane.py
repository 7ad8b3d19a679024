"""The fast lane: the two requests a full room sends most, answered in front of Flask.

Three hundred phones poll their board every 1.5 s and post a card every few seconds. Nearly
every poll finds nothing new and nearly every card is an ordinary card. For these two the fast
lane gives the app's answer by the app's rules (its session cookie, CSRF token, rate-limit
counters, services and headers) without building a request context, running hooks or loading
objects. Whenever anything is unusual (another host, no or an unknown session, a bad token, a
text the form would refuse, a closed phase, a spent budget, an error) it steps aside and the app
answers with all its machinery. So it only ever gives an answer the app would give the same way;
tests/test_fast_lane.py sends the same requests both ways and compares.
"""

import hmac
import io
import re
import time
from urllib.parse import parse_qsl

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_accept_header, parse_cookie, parse_etags, quote_etag
from werkzeug.wsgi import get_host

from forum.extensions import db
from forum.limits import count_request, key_for
from forum.models import QUADRANTS
from forum.participant.board import phone_etag
from forum.services import cards, joining, phases
from forum.validators import KEY
from forum.web import security_headers

_CODE = r"([A-Za-z0-9_-]{22,64})"
# Matched whole (fullmatch): `$` would also accept a newline after the path, which Flask's
# routes do not.
_POLL = re.compile(rf"/j/{_CODE}/board/live")
_CARD = re.compile(rf"/j/{_CODE}/cards")
CARD_FIELDS = frozenset({"csrf_token", "quadrant", "text", "client_key"})
# 500 characters of three UTF-8 bytes each, percent-encoded, and the hidden fields.
MAX_CARD_BODY = 8 * 1024
# What the app's after-request hooks add to these answers: Flask-Compress and the language
# choice make pages vary; the security headers (see common_headers) go on every answer.
VARY = ("Vary", "Accept-Encoding, Accept-Language, Cookie")


def register_fast_lane(app: Flask) -> None:
    """Put the fast lane in front of the app unless FAST_LANE is off.

    Only with Flask's own cookie sessions, and while they are not re-sent on every request:
    the fast lane reads the cookie as Flask does and never sets one.
    """
    config = app.config
    if (
        config.get("FAST_LANE", True)
        and not config["SESSION_REFRESH_EACH_REQUEST"]
        and type(app.session_interface) is SecureCookieSessionInterface
    ):
        app.wsgi_app = FastLane(app, app.wsgi_app)


class FastLane:
    """WSGI middleware answering unchanged board polls (304) and ordinary JSON card posts."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        with app.app_context():
            self.engine = db.engine
        self.limiter = app.extensions["forum.limiter"]
        self.common_headers = [VARY, *security_headers(app.config).items()]
        # The app's own cookie settings; the serializer is made once, not per request.
        interface = app.session_interface
        self.cookie_name = interface.get_cookie_name(app)
        lifetime = int(app.permanent_session_lifetime.total_seconds())
        self.sessions = Verified(interface.get_signing_serializer(app), lifetime)
        config = app.config
        csrf_secret = config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        csrf_serializer = URLSafeTimedSerializer(csrf_secret, salt="wtf-csrf-token")
        self.csrf_tokens = Verified(csrf_serializer, config.get("WTF_CSRF_TIME_LIMIT", 3600))

    def __call__(self, environ, start_response):
        """Answer from the fast lane, or hand the request on to the app unchanged."""
        answer = None
        if environ.get("PATH_INFO", "").startswith("/j/"):
            try:
                answer = self._answer(environ)
            except Exception:
                # The app answers instead; a card the lane stored is found again by its key.
                self.app.logger.exception("Fast lane failed; the app answers instead")
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer(self, environ):
        method, path = environ.get("REQUEST_METHOD"), environ["PATH_INFO"]
        if method == "GET" and (match := _POLL.fullmatch(path)):
            return self._poll(environ, match[1])
        if method == "POST" and (match := _CARD.fullmatch(path)):
            return self._card(environ, match[1])
        return None

    def _poll(self, environ, code: str):
        """304 when the phone's board is unchanged since the version it sends."""
        if not environ.get("HTTP_IF_NONE_MATCH"):
            return None
        visitor = self._visitor(environ)
        if visitor is None:
            return None
        session, _ = visitor
        with self.engine.connect() as connection:
            phone = joining.phone_state(connection, code, session["tokens"])
        etag = phone_etag(phone) if phone is not None else None
        if etag is None or etag not in parse_etags(environ["HTTP_IF_NONE_MATCH"]):
            return None
        if not self._count(environ, session, phone, "GET"):
            return None
        headers = [("ETag", quote_etag(etag)), ("Cache-Control", "no-cache, private")]
        return "304 NOT MODIFIED", headers + self.common_headers, b""

    def _card(self, environ, code: str):
        """Store an ordinary card the phone's outbox sends and answer its JSON."""
        # The cheap header check first: a plain form post is not read here at all.
        if not _wants_json(environ):
            return None
        form = _small_form(environ)
        if form is None:
            return None
        visitor = self._visitor(environ)
        if visitor is None:
            return None
        session, host = visitor
        text, problem = cards.text_problem(form["text"])
        if (
            problem
            or form["quadrant"] not in QUADRANTS
            or not KEY.regex.match(form["client_key"])
            or not self._csrf_valid(environ, session, host, form["csrf_token"])
        ):
            return None
        with self.engine.connect() as connection:
            phone = joining.phone_state(connection, code, session["tokens"])
            if (
                phone is None
                or phone.kind != "forum"
                or not phases.cards_open(phone.phase)
                or not self._count(environ, session, phone, "POST")
            ):
                return None
            card_id = cards.post_card(
                connection,
                phone.group_id,
                phone.participant_id,
                form["quadrant"],
                text,
                form["client_key"],
            )
        # As jsonify writes it: sorted keys, no spaces, a closing newline.
        body = b'{"card_id":%d,"ok":true}\n' % card_id
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        return "200 OK", headers + self.common_headers, body

    def _visitor(self, environ):
        """Return (session, host) of a phone that holds tokens, on a trusted host, else None."""
        try:
            host = get_host(environ, self.app.config["TRUSTED_HOSTS"])
        except SecurityError:
            return None
        session = self._session(environ)
        tokens = session.get("tokens") if session else None
        return (session, host) if tokens else None

    def _session(self, environ) -> dict | None:
        """Read the session cookie as Flask's SecureCookieSessionInterface.open_session does."""
        cookie = parse_cookie(environ).get(self.cookie_name)
        if not cookie:
            return None
        try:
            return self.sessions.loads(cookie)
        except BadData:
            return None

    def _count(self, environ, session, phone, method: str) -> bool:
        key = key_for(session, lambda: environ.get("REMOTE_ADDR"), lambda: phone.forum_id)
        return count_request(self.limiter, key, method)

    def _csrf_valid(self, environ, session, host: str, token: str) -> bool:
        """Flask-WTF's check (flask_wtf.csrf.validate_csrf and CSRFProtect.protect), as a test."""
        config = self.app.config
        field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if not token or field not in session:
            return False
        try:
            signed = self.csrf_tokens.loads(token)
        except BadData:
            return False
        if not hmac.compare_digest(session[field], signed):
            return False
        if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
            referrer = environ.get("HTTP_REFERER")
            return bool(referrer) and same_origin(referrer, f"https://{host}/")
        return True


class Verified:
    """A timed serializer's loads that checks each signature once and its age every time.

    A phone sends the same session cookie and form token with every poll and card; checking
    the same bytes' signature again cannot give another answer, but their age grows.
    """

    SIZE = 4096

    def __init__(self, serializer: URLSafeTimedSerializer, max_age: int | None):
        self.serializer, self.max_age = serializer, max_age
        self.seen: dict[str, tuple[object, float]] = {}

    def loads(self, signed: str):
        """Return the value signed in `signed`; raise BadData as the serializer would."""
        known = self.seen.get(signed)
        if known is None:
            value, stamp = self.serializer.loads(
                signed, max_age=self.max_age, return_timestamp=True
            )
            if len(self.seen) >= self.SIZE:
                self.seen.clear()  # a room holds a few hundred phones; a flood just starts over
            known = self.seen[signed] = (value, stamp.timestamp())
        value, stamp = known
        if self.max_age is not None and not 0 <= time.time() - stamp <= self.max_age:
            raise SignatureExpired("signature expired")
        return value


def _small_form(environ) -> dict[str, str] | None:
    """Read a small url-encoded body with exactly the card form's fields, or None.

    The body is read here; the app gets it back in wsgi.input if the lane steps aside.
    """
    content_type = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded" or "HTTP_TRANSFER_ENCODING" in environ:
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_CARD_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    if len(body) != length:
        return None
    try:
        pairs = parse_qsl(
            body.decode("ascii"), keep_blank_values=True, strict_parsing=True, errors="strict"
        )
    except (UnicodeError, ValueError):
        return None
    form = dict(pairs)
    if len(form) != len(pairs) or form.keys() != CARD_FIELDS:
        return None
    # The app drops NUL from every value before a form sees it; leave such requests to it.
    return None if any("\x00" in value for value in form.values()) else form


def _wants_json(environ) -> bool:
    header = environ.get("HTTP_ACCEPT")
    if header == "application/json":  # what outbox.js sends
        return True
    accept = parse_accept_header(header, MIMEAccept)
    return accept.best_match(("text/html", "application/json")) == "application/json"
