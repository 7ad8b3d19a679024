"""A purge leaves no name in the bytes the database keeps on disk, not only in what it answers."""

from pathlib import Path

import pytest
from sqlalchemy import text

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
