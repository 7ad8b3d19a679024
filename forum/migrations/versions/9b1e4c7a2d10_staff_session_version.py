"""staff session version: signing out invalidates every copy of the session cookie

Revision ID: 9b1e4c7a2d10
Revises: 6465af470894
Create Date: 2026-11-21 07:10:00

Sessions are signed cookies; a copy would outlive sign-out. The account's session version is
part of the signed-in identity, and sign-out (or a new password) bumps it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b1e4c7a2d10'
down_revision = '6465af470894'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
