"""reassessments start from the previous one

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 07:35:34.043271
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_sections', sa.JSON(), server_default='[]', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_assessments_previous_id_assessments'), 'assessments', ['previous_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessments_previous_id_assessments'), type_='foreignkey')
        batch_op.drop_column('confirmed_sections')
        batch_op.drop_column('previous_id')

