"""revision scores and red flags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 07:13:49.817736
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('red_flags', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('red_flags')
        batch_op.drop_column('score')

