"""Held board polls: a phone whose board is current waits for the group's next change.

Without holding, every phone asks again 1.5 s after each answer, and at a forum's own pace (a
card every few seconds per group) most asks find nothing new: 300 phones made about 200
requests a second. A held poll is answered when the group's board or phase changed, or after
LIVE_HOLD_SECONDS with 304; a quiet phone then asks a few times a minute, and a change reaches
it within one TICK instead of within a poll interval.

One thread per process reads, every TICK, the stamp (board version, running phase, extra
minutes) of each group someone waits on, in one query, and wakes exactly the waiters whose
stamp it no longer is. A wait keeps a server thread, so at most LIVE_HOLD_SEATS polls wait at
once per process; the next ones are answered at once, as without holding.
"""

import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import Flask, current_app, request

from forum.database import phone_connection
from forum.services import joining

log = logging.getLogger(__name__)

# Seconds between two reads of the stamps: how late a held poll learns of a change.
TICK = 0.2
# Seconds without any waiter after which the reading thread ends (it starts again on demand).
IDLE = 30.0
# Board polls that read their answer at once per process. A card wakes every phone of its
# group, and each asks again as soon as it has its answer: 75 phones reading together would
# take 75 database connections, and the pool keeps 5 per process (it opens and closes the
# others each time). The others wait their turn, which costs them no more than the GIL would.
READERS = 4

Stamps = Callable[[list[int]], dict[int, Hashable]]


@dataclass(eq=False)
class _Waiter:
    stamp: Hashable
    # When the phone's own read of its state began: only reads begun later can tell it news.
    since: float
    news: threading.Event = field(default_factory=threading.Event)


class GroupWatch:
    """Wake held polls when their group's stamp, read every TICK, differs from theirs."""

    def __init__(self, read_stamps: Stamps, seats: int, tick: float = TICK, idle: float = IDLE):
        self._read_stamps = read_stamps
        self._seats = threading.BoundedSemaphore(seats) if seats > 0 else None
        self._tick, self._idle = tick, idle
        self._lock = threading.Lock()
        self.readers = threading.BoundedSemaphore(READERS)
        self._waiters: dict[int, list[_Waiter]] = defaultdict(list)
        self._reader: threading.Thread | None = None
        self._failing = False

    def wait(self, group_id: int, stamp: Hashable, since: float, timeout: float) -> bool:
        """Wait up to `timeout` s for news of the group; False at once when no seat is free."""
        if self._seats is None or not self._seats.acquire(blocking=False):
            return False
        waiter = _Waiter(stamp, since)
        try:
            with self._lock:
                self._waiters[group_id].append(waiter)
                if self._reader is None:
                    self._reader = threading.Thread(
                        target=self._read_while_waited_on, name="held-polls", daemon=True
                    )
                    self._reader.start()
            return waiter.news.wait(timeout)
        finally:
            with self._lock:
                waiters = self._waiters[group_id]
                waiters.remove(waiter)
                if not waiters:
                    del self._waiters[group_id]
            self._seats.release()

    def _read_while_waited_on(self) -> None:
        idle_since = time.monotonic()
        while True:
            with self._lock:
                groups = list(self._waiters)
                if not groups and time.monotonic() - idle_since > self._idle:
                    self._reader = None
                    return
            if groups:
                idle_since = time.monotonic()
                self._tell(time.monotonic(), self._stamps_of(groups))
            time.sleep(self._tick)

    def _stamps_of(self, groups: list[int]) -> dict[int, Hashable]:
        try:
            stamps = self._read_stamps(groups)
        except Exception:  # the database away for a moment: the waiters time out as before
            if not self._failing:  # once per outage, not five times a second
                log.exception("Reading the groups' board stamps failed; trying again")
            self._failing = True
            return {}
        self._failing = False
        return stamps

    def _tell(self, read_at: float, stamps: dict[int, Hashable]) -> None:
        with self._lock:
            for group_id, stamp in stamps.items():
                for waiter in self._waiters.get(group_id, ()):
                    if waiter.since < read_at and waiter.stamp != stamp:
                        waiter.news.set()


def register_held_polls(app: Flask) -> None:
    """Give the app its watch of the groups (LIVE_HOLD_SEATS waits at once, 0: never hold)."""

    def read_stamps(groups: list[int]) -> dict[int, Hashable]:
        with app.app_context(), phone_connection() as connection:
            return joining.group_stamps(connection, groups)

    app.extensions["forum.held_polls"] = GroupWatch(read_stamps, app.config["LIVE_HOLD_SEATS"])


def offered_seconds() -> float:
    """Seconds the board page offers live.js to wait for news (0: poll every 1.5 s)."""
    config = current_app.config
    if not config["LIVE_HOLD_SEATS"]:
        return 0.0
    # A server that answers one request at a time per process (gunicorn's sync worker, run
    # without gunicorn.conf.py) would stand still while a poll waits.
    if not request.environ.get("wsgi.multithread"):
        return 0.0
    return float(config["LIVE_HOLD_SECONDS"])


def hold_seconds(asked: float | None) -> float:
    """Seconds a poll may be held: what the page asked for, at most what the server offers."""
    if not asked or not math.isfinite(asked) or asked <= 0:
        return 0.0
    return min(asked, offered_seconds())


def wait_for_news(group_id: int, stamp: Hashable, since: float, seconds: float) -> bool:
    """Hold the current request until the group's stamp differs from `stamp` (True) or not."""
    return current_app.extensions["forum.held_polls"].wait(group_id, stamp, since, seconds)


def reading_turn() -> threading.BoundedSemaphore:
    """The turns of board polls to read their answers (READERS at once per process)."""
    return current_app.extensions["forum.held_polls"].readers
