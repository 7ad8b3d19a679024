"""Rate-limit counters in one SQLite file, shared by every worker process of one server.

The `limits` library keeps counters in memory (each worker counts on its own, so 4 workers
allow 4 times each limit) or in Redis, Memcached or MongoDB. This storage, registered as
`forum+sqlite:///path`, needs no further service: each counter change is one short SQLite
transaction, taken in turns on a thread mutex and a file lock beside the file (never SQLite's
sleeping busy handler). Counters are not worth an fsync: a crash loses at most the last moment.
"""

import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from limits.storage import SlidingWindowCounterSupport, Storage
from limits.storage.base import TimestampedSlidingWindow
from sqlalchemy.engine import make_url

from forum.database import FileLock

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counter "
    "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL) WITHOUT ROWID"
)
_READ = "SELECT count, expires FROM counter WHERE key = ?"
_READ_WINDOWS = "SELECT key, count FROM counter WHERE key IN (?, ?) AND expires > ?"
_ADD = (
    "INSERT INTO counter (key, count, expires) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE "
    "SET count = CASE WHEN expires > ?4 THEN count + ?2 ELSE ?2 END, "
    "expires = CASE WHEN expires > ?4 THEN expires ELSE ?3 END RETURNING count"
)
# Expired counters are dropped now and then, not on every change.
SWEEP_EVERY = 1000


class SQLiteStorage(Storage, SlidingWindowCounterSupport, TimestampedSlidingWindow):
    """Fixed-window and sliding-window-counter counters of `limits` in an SQLite file."""

    STORAGE_SCHEME = ["forum+sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = unquote(urlparse(uri).path)
        self.mutex = threading.Lock()
        self.pid = None
        self.changes = 0

    @property
    def base_exceptions(self):
        """What a failing SQLite file raises."""
        return sqlite3.Error

    def _open(self) -> None:
        # Per process: a forked worker must not share the parent's connection or lock file.
        self.connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=OFF", "busy_timeout=5000"):
            self.connection.execute(f"PRAGMA {pragma}")
        self.file_lock = FileLock(os.open(f"{self.path}-lock", os.O_RDWR | os.O_CREAT, 0o600))
        self.pid = os.getpid()
        with self.file_lock:
            self.connection.execute(_SCHEMA)

    def _turn(self, write):
        """Run `write(connection, now)` in one transaction, in this server's turn."""
        with self.mutex:
            if self.pid != os.getpid():
                self._open()
            with self.file_lock:
                connection, now = self.connection, time.time()
                connection.execute("BEGIN IMMEDIATE")
                try:
                    result = write(connection, now)
                    self.changes += 1
                    if self.changes % SWEEP_EVERY == 0:
                        connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                return result

    @staticmethod
    def _count(connection, key: str, now: float) -> tuple[int, float]:
        row = connection.execute(_READ, (key,)).fetchone()
        return (row[0], row[1]) if row and row[1] > now else (0, 0.0)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add to a counter; a new or expired one starts now and lives `expiry` seconds."""
        return self._turn(
            lambda db, now: db.execute(_ADD, (key, amount, now + expiry, now)).fetchone()[0]
        )

    def get(self, key: str) -> int:
        """Return a counter's value (0 once it expired)."""
        return self._turn(lambda db, now: self._count(db, key, now)[0])

    def get_expiry(self, key: str) -> float:
        """Return when a counter expires (now for one that does not exist)."""
        return self._turn(lambda db, now: self._count(db, key, now)[1] or now)

    def clear(self, key: str) -> None:
        """Drop a counter."""
        self._turn(lambda db, now: db.execute("DELETE FROM counter WHERE key = ?", (key,)))

    def check(self) -> bool:
        """Tell whether the file answers."""
        try:
            self._turn(lambda db, now: db.execute("SELECT 1").fetchone())
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Drop every counter."""
        return self._turn(lambda db, now: db.execute("DELETE FROM counter").rowcount)

    def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        """Count a hit if the weighted count of this and the last window leaves room for it."""
        if amount > limit:
            return False

        def acquire(db, now):
            previous_key, current_key = self.sliding_window_keys(key, expiry, now)
            previous, current = _window_counts(db, previous_key, current_key, now)
            weighted = previous * _previous_ttl(previous, expiry, now) / expiry + current
            if int(weighted) + amount > limit:
                return False
            # As the memory storage does: a new window's counter lives two windows.
            db.execute(_ADD, (current_key, amount, now + 2 * expiry, now))
            return True

        return self._turn(acquire)

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        """Return the last window's count and time left, and this window's, as `limits` does."""

        def read(db, now):
            previous_key, current_key = self.sliding_window_keys(key, expiry, now)
            previous, current = _window_counts(db, previous_key, current_key, now)
            current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
            return previous, _previous_ttl(previous, expiry, now), current, current_ttl

        return self._turn(read)

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        """Drop both windows' counters."""
        for window_key in self.sliding_window_keys(key, expiry, time.time()):
            self.clear(window_key)


def beside_the_database(database_uri: str, instance_path: str) -> str:
    """Name the default counter file: next to an SQLite file, else in the instance folder.

    One file per database, so that two servers on one machine (or tests) never share counts.
    """
    url = make_url(database_uri)
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
        path = Path(f"{database.removeprefix('file:').partition('?')[0]}-ratelimits")
    else:
        path = Path(instance_path) / f"ratelimits-{url.get_backend_name()}-{database}.sqlite3"
    return f"forum+sqlite://{path.resolve()}"


def _window_counts(db, previous_key: str, current_key: str, now: float) -> tuple[int, int]:
    counts = dict(db.execute(_READ_WINDOWS, (previous_key, current_key, now)).fetchall())
    return counts.get(previous_key, 0), counts.get(current_key, 0)


def _previous_ttl(previous: int, expiry: int, now: float) -> float:
    # How much of the last window still weighs, exactly as limits' memory storage computes it.
    return 0.0 if previous == 0 else (1 - (((now - expiry) / expiry) % 1)) * expiry
