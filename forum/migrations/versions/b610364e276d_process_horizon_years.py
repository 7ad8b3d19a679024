"""process horizon years: the years each Umsetzungshorizont stands for in the plan

Revision ID: b610364e276d
Revises: 9b1e4c7a2d10
Create Date: 2026-12-06 15:46:19

The plan document says "kurzfristig (bis 2026)": the years belong to the process. Existing
processes get empty strings (server default), so their documents read as before until a
planner fills them in.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b610364e276d'
down_revision = '9b1e4c7a2d10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process', schema=None) as batch_op:
        for name in ('horizon_short_years', 'horizon_medium_years', 'horizon_long_years'):
            batch_op.add_column(
                sa.Column(name, sa.String(length=60), nullable=False, server_default='')
            )


def downgrade():
    with op.batch_alter_table('process', schema=None) as batch_op:
        for name in ('horizon_long_years', 'horizon_medium_years', 'horizon_short_years'):
            batch_op.drop_column(name)
