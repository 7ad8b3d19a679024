"""Rate limits per phone, per staff account, and per address only for unknown visitors.

A whole room of phones reaches the server from the venue's one NAT address, so the limits are
keyed on the session: the phone's participant token, the signed-in account, or the browser
session that holds the join form's CSRF token. Only a visitor without any session is counted
by address, and that budget is large enough for a room arriving at once.
"""

import hashlib
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from functools import partial

from flask import Flask, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

from forum import limit_storage  # noqa: F401  (registers the forum+sqlite:// counters)
from forum.extensions import db
from forum.models import Forum

# Per client, over all its requests. A phone polls its board every 1.5 s and the timer every
# 5 s (two tabs: under 2/s); a person posts a card every few seconds at most. A runaway script
# or a stuck tab exceeds these at once.
READS = "10 per second"
WRITES = "5 per second;60 per minute"
# A planner may watch every group's console and the projector in tabs at once.
STAFF_READS = "20 per second"
# 300 phones arriving within 30 s from one address, with reloads, must all get the join page.
STRANGERS = "1200 per minute"
# Failed sign-ins per address: staff mistype, guessing does not get far.
SIGN_IN_FAILURES = "30 per 10 minutes"


def client_key() -> str:
    """Name who is asking: a participant, an account, a browser session, or only then an address."""
    if "limit_key" not in g:
        g.limit_key = key_for(session, get_remote_address, _addressed_forum)
    return g.limit_key


def key_for(
    session: Mapping,
    remote_address: Callable[[], str | None],
    forum_id: Callable[[], int | None],
) -> str:
    """Name the client a session belongs to; the address counts only without any session.

    A phone is counted as the participant it acts as in the forum the request addresses, so
    copies of its cookie that joined other forums too still share that participant's budget.
    """
    tokens = session.get("tokens")
    if tokens:
        return "phone:" + _digest(_acting_token(tokens, forum_id))
    if session.get("_user_id"):
        return f"account:{session['_user_id']}"
    if session.get("csrf_token"):
        return "browser:" + _digest(session["csrf_token"])
    return "address:" + (remote_address() or "")


def _acting_token(tokens: Mapping[str, str], forum_id: Callable[[], int | None]) -> str:
    if len(tokens) == 1:  # nearly every phone: no need to know the forum
        return next(iter(tokens.values()))
    held = tokens.get(str(forum_id()))
    # Outside a forum (privacy page, language switch) a phone in several forums is one client.
    return held or "|".join(sorted(tokens.values()))


def _addressed_forum() -> int | None:
    # Only phones that joined several forums ask: one indexed lookup before the limit check.
    code = (request.view_args or {}).get("code") if request.blueprint == "participant" else None
    if not isinstance(code, str):
        return None
    return db.session.execute(db.select(Forum.id).filter_by(join_code=code)).scalar()


def _digest(secret: str) -> str:
    # Keys may sit in Redis; a hash there does not hand out anyone's session.
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def _client_limit() -> str:
    return limit_for(client_key(), request.method)


def limit_for(key: str, method: str) -> str:
    """Return the budget of a client for requests of this method."""
    kind = key.partition(":")[0]
    if kind == "address":
        return STRANGERS
    if method not in ("GET", "HEAD"):
        return WRITES
    return STAFF_READS if kind == "account" else READS


def _failed_sign_in(response) -> bool:
    return request.endpoint == "auth.login" and response.status_code != 302


def register_limits(app: Flask) -> Limiter:
    """Attach the rate limits; RATELIMIT_STORAGE_URI (e.g. redis://) says where all counters live.

    Unset, each worker keeps the per-client budgets in memory (the hot requests cannot afford a
    shared counter: it cost board polls a third of their rate), while failed sign-ins, which
    guard passwords and are few, are counted in a file beside the database that every worker
    of this server shares.
    """
    shared = app.config.get("RATELIMIT_STORAGE_URI")
    from forum.auth import bp as auth_bp

    limiter = Limiter(
        client_key,
        strategy="sliding-window-counter",
        # One budget per client for all its reads and one for all its writes.
        application_limits=[_client_limit],
        application_limits_per_method=True,
        storage_uri=shared or "memory://",
    )
    app.extensions["forum.limiter"] = limiter
    # The operator's monitor must never be told to slow down.
    limiter.request_filter(lambda: request.endpoint == "health.healthz")
    limiter.init_app(app)
    sign_ins = Limiter(
        get_remote_address,
        strategy="sliding-window-counter",
        storage_uri=shared
        or limit_storage.beside_the_database(
            app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path
        ),
    )
    app.extensions["forum.sign_in_limiter"] = sign_ins
    # Only the sign-in page pays for this check; only failed attempts count.
    sign_ins.limit(SIGN_IN_FAILURES, methods=["POST"], deduct_when=_failed_sign_in)(auth_bp)
    sign_ins.request_filter(lambda: request.blueprint != auth_bp.name)
    sign_ins.init_app(app)
    if limiter.enabled:
        app.after_request(partial(_retry_after, (limiter, sign_ins)))
        if isinstance(limiter.storage, MemoryStorage):
            _sweep_every_few_seconds(limiter.storage)
    return limiter


def _retry_after(limiters: tuple[Limiter, ...], response):
    # Only a refused request learns when to try again: rate-limit headers on every answer
    # would cost each board poll two more counter reads.
    if response.status_code == 429:
        spent = [limit for lim in limiters if (limit := lim.current_limit) and limit.breached]
        if spent:
            wait = max(limit.reset_at for limit in spent) - time.time()
            response.headers["Retry-After"] = str(max(1, int(wait)))
    return response


def _sweep_every_few_seconds(storage: MemoryStorage) -> None:
    """Let one long-lived thread drop expired counters.

    The memory storage otherwise starts a new timer thread whenever its last one has run out,
    every 10 ms under load, and each start makes the request that triggered it wait for the new
    thread: on the board poll that cost more than the poll itself. Reads expire stale counters
    anyway; the sweep only keeps memory bounded.
    """
    storage.timer = threading.Thread(
        target=_sweep, args=(weakref.ref(storage),), name="ratelimit-sweep", daemon=True
    )
    storage.timer.start()


def _sweep(storage_ref, interval: float = 10.0) -> None:
    while (storage := storage_ref()) is not None:
        now = time.time()
        for key, expiry in list(storage.expirations.items()):
            if expiry <= now:
                with storage.locks[key]:
                    storage.storage.pop(key, None)
                    storage.expirations.pop(key, None)
                storage.locks.pop(key, None)
        del storage
        time.sleep(interval)
