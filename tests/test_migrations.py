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
