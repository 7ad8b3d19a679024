"""forum privacy settings: automatic purge after N days, time of the last purge

Revision ID: 6465af470894
Revises: c0da53dc4246
Create Date: 2026-11-21 12:00:00

Existing forums get no automatic purge (NULL): an upgrade must not start deleting names that
nobody decided to delete. New forums get 30 days from the seed schema and the console form.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6465af470894'
down_revision = 'c0da53dc4246'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purge_after_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('personal_data_purged_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.drop_column('personal_data_purged_at')
        batch_op.drop_column('purge_after_days')
