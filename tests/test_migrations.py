"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forum.extensions import db


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_entity_of_the_workshop_has_a_table(app):
    tables = set(db.inspect(db.engine).get_table_names())
    assert {
        "process",
        "guiding_goal",
        "forum",
        "agenda_item",
        "guiding_question",
        "room",
        "work_group",
        "user_account",
        "participant",
        "card",
        "measure",
        "measure_card",
        "vote",
    } <= tables


def test_upgrading_a_database_with_data_keeps_the_data(tmp_path):
    # A forum run on an older release must survive the upgrade with its cards and votes.
    from flask_migrate import downgrade

    from forum import create_app
    from forum.cli import prepare_demo
    from forum.database import MIGRATIONS, upgrade_database
    from forum.models import Card, Vote
    from tests.dbutil import app_config

    app = create_app(app_config(f"sqlite:///{tmp_path / 'old.sqlite3'}"))
    with app.app_context():
        prepare_demo(sample=True)
        counts = (db.session.query(Card).count(), db.session.query(Vote).count())
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="f64c0417901d")
        upgrade_database()
        assert (db.session.query(Card).count(), db.session.query(Vote).count()) == counts
        db.engine.dispose()


def test_processes_from_before_the_horizon_years_get_empty_ones(tmp_path):
    # The columns arrive NOT NULL with a server default, so existing rows migrate on both
    # databases; the migration must also go down again.
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from forum import create_app
    from forum.database import MIGRATIONS
    from forum.models import Process
    from tests import dbutil

    if dbutil.using_postgres():
        uri = dbutil.postgres_database("_horizons")
    else:
        uri = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app(dbutil.app_config(uri))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="9b1e4c7a2d10")
        db.session.execute(
            text("INSERT INTO process (slug, title, organiser) VALUES ('alt', 'Alter Plan', '')")
        )
        db.session.commit()
        upgrade(directory=MIGRATIONS, revision="b610364e276d")
        process = db.session.execute(db.select(Process)).scalar_one()
        assert (process.title, process.horizon_years) == (
            "Alter Plan",
            {"short": "", "medium": "", "long": ""},
        )
        process.horizon_short_years = "bis 2026"
        db.session.commit()
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="9b1e4c7a2d10")
        columns = {c["name"] for c in inspect(db.engine).get_columns("process")}
        assert not {c for c in columns if c.startswith("horizon_")}
        assert db.session.execute(text("SELECT title FROM process")).scalar_one() == "Alter Plan"
        db.session.remove()
        db.engine.dispose()


def test_the_board_change_triggers_exist_at_the_newest_schema(app):
    # SQLite drops a table's triggers with the table: a batch migration rebuilding card, measure
    # or vote must create them again, or the live pages would stop seeing changes.
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            found = connection.exec_driver_sql(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
            ).all()
        else:
            found = connection.exec_driver_sql(
                "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            ).all()
    # "CREATE TRIGGER board_change_… AFTER INSERT OR UPDATE ON …": the events come before ON.
    heads = [(table, definition.upper().split(" ON ")[0]) for table, definition in found]
    events = {
        (table, event)
        for table, head in heads
        for event in ("INSERT", "UPDATE", "DELETE")
        if f" {event}" in head and "BOARD_CHANGE" in head
    }
    assert events == {
        ("card", "INSERT"),
        ("card", "UPDATE"),
        ("card", "DELETE"),
        ("measure", "INSERT"),
        ("measure", "UPDATE"),
        ("measure", "DELETE"),
        ("vote", "INSERT"),
        ("vote", "DELETE"),
    }


def test_the_change_log_migration_goes_down_and_up_again(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from forum import create_app
    from forum.database import MIGRATIONS
    from tests import dbutil

    if dbutil.using_postgres():
        uri = dbutil.postgres_database("_changelog")
    else:
        uri = f"sqlite:///{tmp_path / 'changelog.sqlite3'}"
    app = create_app(dbutil.app_config(uri))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="5e5cbb9d6254")
        assert "board_change" not in inspect(db.engine).get_table_names()
        assert "revision" in {c["name"] for c in inspect(db.engine).get_columns("work_group")}
        upgrade(directory=MIGRATIONS)
        assert db.session.execute(text("SELECT count(*) FROM board_change")).scalar() == 0
        db.session.remove()
        db.engine.dispose()
