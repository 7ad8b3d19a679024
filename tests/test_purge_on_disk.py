"""A purge leaves no name in the bytes the database keeps on disk, not only in what it answers."""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from forum.cli import main
from forum.extensions import db
from tests.forms import form

# Distinctive enough that no other byte sequence in a database file matches by chance.
SURNAME = "Zwetschgenbaum"
ORGANISATION = "Xylophonverein"
PEOPLE = 40  # enough rows to fill several pages and make SQLite move cells around


def stored_bytes() -> bytes:
    """What the participants' data occupies on disk: SQLite's file and WAL, PostgreSQL's heap."""
    if db.engine.dialect.name == "sqlite":
        database = Path(db.engine.url.database)
        files = [database, database.with_name(database.name + "-wal")]
        return b"".join(path.read_bytes() for path in files if path.exists())
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # Shared buffers reach the table's file only at a checkpoint.
        connection.exec_driver_sql("CHECKPOINT")
        return connection.execute(
            text("SELECT pg_read_binary_file(pg_relation_filepath('participant'))")
        ).scalar_one()


@pytest.fixture
def named_forum(make_forum, join_as_participant):
    """A forum whose participants all gave a name and an organisation."""
    forum = make_forum()
    for n in range(PEOPLE):
        join_as_participant(
            forum, name=f"Quirin {SURNAME} {n}", organisation=f"{ORGANISATION} Ost {n} e. V."
        )
    return forum


def test_a_purge_by_button_leaves_no_name_in_the_database_files(planner, named_forum):
    before = stored_bytes()
    assert SURNAME.encode() in before and ORGANISATION.encode() in before

    slug = named_forum.slug
    # The test's own session would hold a snapshot all along, as no process of the app does.
    db.session.rollback()
    confirm = planner.get(f"/planner/forums/{slug}/purge")
    action, data = form(confirm.text, "/purge")
    page = planner.post(action, data=data, follow_redirects=True)
    assert f"Personenbezogene Daten von {PEOPLE} Teilnehmenden gelöscht." in page.text

    after = stored_bytes()
    assert SURNAME.encode() not in after
    assert ORGANISATION.encode() not in after


def test_a_purge_while_an_older_read_runs_waits_for_it(app, named_forum):
    # An export or a phone's request that began before the purge still sees the old rows; the
    # database keeps them (PostgreSQL's dead rows, SQLite's WAL frames) until that read ends.
    slug = named_forum.slug
    db.session.rollback()
    reader = db.engine.connect()
    if db.engine.dialect.name == "postgresql":
        reader = reader.execution_options(isolation_level="REPEATABLE READ")
        reader.begin()
    else:
        reader.exec_driver_sql("BEGIN")
    # It reads other tables than the purge writes, so no table lock makes the purge wait.
    assert reader.exec_driver_sql("SELECT count(*) FROM work_group").scalar_one() > 0

    def finish_reading():
        time.sleep(1)
        reader.rollback()
        reader.close()

    threading.Thread(target=finish_reading).start()
    result = app.test_cli_runner().invoke(main, ["purge-personal-data", "--forum", slug])
    assert result.exit_code == 0, result.output

    after = stored_bytes()
    assert SURNAME.encode() not in after and ORGANISATION.encode() not in after
