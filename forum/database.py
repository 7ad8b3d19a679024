"""Database setup: SQLite pragmas for concurrent phones, migrations beside the package."""

import fcntl
import logging
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from flask import Flask
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from forum.extensions import db, migrate

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")
log = logging.getLogger(__name__)


def register_database(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate and tune SQLite connections."""
    from forum import models  # noqa: F401  (register the tables)

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    # A failing statement's values (names, organisations, cards) never reach an error or the log.
    options["hide_parameters"] = True
    # No ping on every checkout (a round trip per request on PostgreSQL): connections are
    # replaced by age, and a dropped one is noticed when used (SQLAlchemy then replaces every
    # older pooled connection; the phones' requests run once more, see retry_if_dropped).
    options.setdefault("pool_recycle", app.config.get("DATABASE_POOL_RECYCLE", 1800))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _tune_sqlite)


def phone_connection() -> Connection:
    """Open a connection for a phone's hot request: a read, then at most one single-statement write.

    On PostgreSQL each statement commits on its own (autocommit): no BEGIN, COMMIT or the pool's
    ROLLBACK on return, each a round trip. SQLite keeps its transactions, which cost no round
    trip.
    """
    connection = db.engine.connect()
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def retry_if_dropped(view: Callable) -> Callable:
    """Run an idempotent view once more when the database connection it used had dropped.

    SQLAlchemy's optimistic disconnect handling: the statement on a dropped connection fails,
    and the pool replaces that connection and every older one. The phones' card post (one card
    per form key) and board poll (a read) may simply run again, on a fresh connection.
    """

    @wraps(view)
    def run(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.warning("Database connection dropped; %s runs once more", view.__name__)
            db.session.rollback()  # the session's transaction, if any, went with the connection
            return view(*args, **kwargs)

    return run


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets phones read while one writes; busy_timeout waits for the lock instead of failing:
    # 15 s, because in a flood of joins (bench_load.py: 900 at once) the lock is busy all the
    # time and SQLite does not hand it out in turn, so a join may wait seconds for it.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A purge must not leave names in freed space: overwrite deleted content with zeros, whatever
    # the SQLite build's default.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def erase_old_versions(engine: Engine, table: str) -> None:
    """Overwrite on disk the old versions of the rows a committed change replaced in `table`."""
    # VACUUM and a full checkpoint cannot run inside a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            # secure_delete zeroed the freed space in the pages just written, but earlier WAL
            # frames still hold the old rows: copy the pages into the file and empty the WAL.
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
            if busy:
                log.warning("WAL checkpoint after the purge was blocked by a reader")
        elif engine.dialect.name == "postgresql":
            _vacuum_full(connection, table)


# Other sessions of this database whose snapshot is older than the given transaction: they may
# still see the rows' old versions, and VACUUM keeps what any snapshot may see.
_OLDER_SNAPSHOTS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age(xid(%(xid)s::xid8))
"""


def _vacuum_full(connection, table: str) -> None:
    # A plain VACUUM frees dead rows but leaves their bytes in the page; VACUUM FULL writes the
    # table into a new file, without the rows no snapshot can see any more: wait up to 5 s for
    # older snapshots (an export, autovacuum's ANALYZE) to end.
    xid = connection.exec_driver_sql("SELECT pg_current_xact_id()::text").scalar_one()
    for _ in range(50):
        if not connection.exec_driver_sql(_OLDER_SNAPSHOTS, {"xid": xid}).scalar_one():
            break
        time.sleep(0.1)
    else:
        log.warning("Old snapshots kept; VACUUM FULL %s may keep purged rows", table)
    # It locks the table: rather wait 2 s and fall back than stall every phone.
    connection.exec_driver_sql("SET lock_timeout = '2s'")
    try:
        connection.exec_driver_sql(f"VACUUM (FULL) {table}")
    except OperationalError:
        log.warning("VACUUM FULL %s could not get its lock; ran VACUUM", table)
        connection.exec_driver_sql(f"VACUUM {table}")
    finally:
        # The connection goes back to the pool: joins must wait for their locks as before.
        connection.exec_driver_sql("RESET lock_timeout")


def upgrade_database() -> None:
    """Apply all migrations to the bound database (inside an app context)."""
    from flask_migrate import upgrade

    upgrade(directory=MIGRATIONS)


class FileLock:
    """An exclusive flock on an open file, as a context manager."""

    def __init__(self, descriptor: int):
        self.descriptor = descriptor

    def __enter__(self):
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.descriptor, fcntl.LOCK_UN)
