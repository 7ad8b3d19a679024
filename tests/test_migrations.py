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
