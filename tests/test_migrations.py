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
