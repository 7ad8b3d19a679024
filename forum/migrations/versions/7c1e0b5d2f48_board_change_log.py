"""board change log: triggers on card, measure and vote log what changed per group; no hot revision row

Revision ID: 7c1e0b5d2f48
Revises: 5e5cbb9d6254
Create Date: 2026-12-06 19:00:00

Every writer of a group's board used to update the group's one revision row; under a writing
room that row was the hottest lock of the database. Now each change of a card, a measure or a
dot is one appended row of board_change, written by the database itself, so every writer
(services, restore, purge, merges) is logged and a card post stays one INSERT.

SQLite drops a table's triggers with the table: a later batch migration that rebuilds card,
measure or vote must create these triggers again (tests/test_migrations.py checks they exist).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e0b5d2f48'
down_revision = '5e5cbb9d6254'
branch_labels = None
depends_on = None

LOG = "INSERT INTO board_change (group_id, kind, item_id)"

# A card's own group, and its old one when it moved.
CARD = {
    "INSERT": [f"{LOG} VALUES (NEW.group_id, 'card', NEW.id)"],
    "UPDATE": [
        f"{LOG} VALUES (NEW.group_id, 'card', NEW.id)",
        f"{LOG} SELECT OLD.group_id, 'card', OLD.id WHERE OLD.group_id <> NEW.group_id",
    ],
    "DELETE": [f"{LOG} VALUES (OLD.group_id, 'card', OLD.id)"],
}
# A measure's own group; a merged measure's dots count on the one it is merged into, so that
# one changes too when the link changes or the merged measure goes.
MEASURE = {
    "INSERT": [f"{LOG} VALUES (NEW.group_id, 'measure', NEW.id)"],
    "UPDATE": [
        f"{LOG} VALUES (NEW.group_id, 'measure', NEW.id)",
        f"{LOG} SELECT OLD.group_id, 'measure', OLD.id WHERE OLD.group_id <> NEW.group_id",
        f"{LOG} SELECT group_id, 'measure', id FROM measure"
        " WHERE id IN (OLD.merged_into_id, NEW.merged_into_id)"
        " AND OLD.merged_into_id IS NOT NEW.merged_into_id",
    ],
    "DELETE": [
        f"{LOG} VALUES (OLD.group_id, 'measure', OLD.id)",
        f"{LOG} SELECT group_id, 'measure', id FROM measure WHERE id = OLD.merged_into_id",
    ],
}
# A dot of the Auswertungsveranstaltung changes the voter's group's lists there
# (the rule forum.services.voting had before this log); any other dot changes its measure, and the measure
# that one is merged into.
_EVENT_VOTER = (
    "SELECT p.group_id FROM participant p JOIN forum f ON f.id = p.forum_id"
    " WHERE p.id = {row}.participant_id AND f.kind = 'evaluation'"
)
_DOT = [
    f"{LOG} SELECT ({_EVENT_VOTER}), 'measure', {{row}}.measure_id"
    f" WHERE ({_EVENT_VOTER}) IS NOT NULL",
    f"{LOG} SELECT m.group_id, 'measure', m.id FROM measure m"
    " WHERE (m.id = {row}.measure_id"
    " OR m.id = (SELECT merged_into_id FROM measure WHERE id = {row}.measure_id))"
    f" AND NOT EXISTS ({_EVENT_VOTER})",
]
VOTE = {
    "INSERT": [statement.format(row="NEW") for statement in _DOT],
    "DELETE": [statement.format(row="OLD") for statement in _DOT],
}
TRIGGERS = {"card": CARD, "measure": MEASURE, "vote": VOTE}


def upgrade():
    op.create_table('board_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], name=op.f('fk_board_change_group_id_work_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_change')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('board_change', schema=None) as batch_op:
        batch_op.create_index('ix_board_change_group_id_id', ['group_id', 'id'], unique=False)

    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.drop_column('revision')

    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, events in TRIGGERS.items():
        if sqlite:
            for event, statements in events.items():
                body = "".join(f"{statement};\n" for statement in statements)
                op.execute(
                    f"CREATE TRIGGER board_change_{table}_{event.lower()} AFTER {event} ON {table}"
                    f" FOR EACH ROW BEGIN\n{body}END"
                )
        else:
            _postgres_trigger(table, events)


def _postgres_trigger(table, events):
    branches = "".join(
        f"  IF TG_OP = '{event}' THEN\n"
        + "".join(f"    {_postgres(statement)};\n" for statement in statements)
        + "  END IF;\n"
        for event, statements in events.items()
    )
    op.execute(
        f"CREATE FUNCTION board_change_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{branches}  RETURN NULL;\nEND\n$$"
    )
    op.execute(
        f"CREATE TRIGGER board_change_{table} AFTER {' OR '.join(events)} ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION board_change_{table}()"
    )


def _postgres(statement):
    # SQLite's null-safe "IS NOT" is spelled IS DISTINCT FROM in PostgreSQL.
    return statement.replace(
        "OLD.merged_into_id IS NOT NEW.merged_into_id",
        "OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id",
    )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, events in TRIGGERS.items():
        if sqlite:
            for event in events:
                op.execute(f"DROP TRIGGER board_change_{table}_{event.lower()}")
        else:
            op.execute(f"DROP TRIGGER board_change_{table} ON {table}")
            op.execute(f"DROP FUNCTION board_change_{table}()")

    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('board_change', schema=None) as batch_op:
        batch_op.drop_index('ix_board_change_group_id_id')

    op.drop_table('board_change')
