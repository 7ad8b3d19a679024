"""Database setup: SQLite pragmas for concurrent phones, migrations beside the package."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from forum.extensions import db, migrate

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def register_database(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate and tune SQLite connections."""
    from forum import models  # noqa: F401  (register the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _tune_sqlite)


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets phones read while one writes; busy_timeout waits for the lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade_database() -> None:
    """Apply all migrations to the bound database (inside an app context)."""
    from flask_migrate import upgrade

    upgrade(directory=MIGRATIONS)
