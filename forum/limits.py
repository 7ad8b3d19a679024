"""Rate limits per phone, per staff account, and per address only for unknown visitors.

A whole room of phones reaches the server from the venue's one NAT address, so the limits are
keyed on the session: the phone's participant token, the signed-in account, or the browser
session that holds the join form's CSRF token. Only a visitor without any session is counted
by address, and that budget is large enough for a room arriving at once.
"""

import hashlib

from flask import Flask, g, request, session
from flask_limiter import Limit, Limiter
from flask_limiter.util import get_remote_address

# Per client and route. A phone polls its board every 1.5 s (two tabs: 1.3/s); a person posts
# a card every few seconds at most. A runaway script or a stuck tab exceeds these at once.
WRITES = "5 per second;60 per minute"
READS = "5 per second;120 per minute"
# 300 phones arriving within 30 s from one address, with reloads, must all get the join page.
STRANGERS = "1200 per minute"
# Failed sign-ins per address: staff mistype, guessing does not get far.
SIGN_IN_FAILURES = "30 per 10 minutes"


def client_key() -> str:
    """Name who is asking: a phone, an account, a browser session, or (only then) an address."""
    if "limit_key" not in g:
        g.limit_key = _key()
    return g.limit_key


def _key() -> str:
    tokens = session.get("tokens")
    if tokens:
        return "phone:" + _digest("|".join(sorted(tokens.values())))
    if session.get("_user_id"):
        return f"account:{session['_user_id']}"
    if session.get("csrf_token"):
        return "browser:" + _digest(session["csrf_token"])
    return "address:" + (get_remote_address() or "")


def _digest(secret: str) -> str:
    # Keys may sit in Redis; a hash there does not hand out anyone's session.
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def _stranger() -> bool:
    return client_key().startswith("address:")


def _failed_sign_in(response) -> bool:
    return request.endpoint == "auth.login" and response.status_code != 302


def register_limits(app: Flask) -> Limiter:
    """Attach the rate limits; RATELIMIT_STORAGE_URI (default memory://) says where counts live."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(
        client_key,
        strategy="sliding-window-counter",
        default_limits=[
            Limit(WRITES, methods=["POST"], exempt_when=_stranger),
            Limit(READS, methods=["GET", "HEAD"], exempt_when=_stranger),
            Limit(STRANGERS, exempt_when=lambda: not _stranger()),
            Limit(
                SIGN_IN_FAILURES,
                key_function=get_remote_address,
                methods=["POST"],
                exempt_when=lambda: request.endpoint != "auth.login",
                deduct_when=_failed_sign_in,
            ),
        ],
    )
    # The operator's monitor must never be told to slow down.
    limiter.request_filter(lambda: request.endpoint == "health.healthz")
    limiter.init_app(app)
    return limiter
