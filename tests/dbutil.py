"""Test databases: a migrated SQLite template copied per test, or PostgreSQL via TEST_DATABASE_URL."""

import os
import shutil
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.database import upgrade_database
from forum.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def using_postgres() -> bool:
    """Tell whether this run tests against PostgreSQL."""
    return PG_URL.startswith("postgresql")


def app_config(uri: str, **extra) -> dict:
    """Configuration every test app shares."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SERVER_NAME": None,
        # Tests send requests faster than any phone; tests/test_rate_limits.py turns limits on.
        "RATELIMIT_ENABLED": False,
        **extra,
    }


def migrate(uri: str) -> None:
    """Bring an empty database to the newest schema through the real migrations."""
    app = create_app(app_config(uri))
    with app.app_context():
        upgrade_database()
        db.engine.dispose()


def postgres_database(suffix: str) -> str:
    """Create (or empty) a PostgreSQL database named after TEST_DATABASE_URL plus suffix."""
    url = make_url(PG_URL)
    name = f"{url.database}{suffix}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def sqlite_template(folder: Path) -> Path:
    """Create a migrated SQLite file to copy for each test."""
    path = folder / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


def fresh_sqlite(template: Path, folder: Path) -> str:
    """Copy the migrated template into a test's own folder."""
    target = folder / "forum.sqlite3"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def migrated_database(suffix: str, folder: Path) -> str:
    """A database of its own for a served app: PostgreSQL named by suffix, else SQLite in folder."""
    uri = postgres_database(suffix) if using_postgres() else f"sqlite:///{folder / 'forum.sqlite3'}"
    migrate(uri)
    return uri


def truncate_all() -> None:
    """Empty every table of the bound PostgreSQL database (inside an app context)."""
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()
