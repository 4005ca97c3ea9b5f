"""supplier overview for the dashboard

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 07:46:49.397855
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplier_overview',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('latest_score', sa.Double(), nullable=True),
    sa.Column('open_red_flags', sa.Integer(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('updated_at', portal.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_supplier_overview_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_overview_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('supplier_id', name=op.f('pk_supplier_overview'))
    )
    with op.batch_alter_table('supplier_overview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_overview_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_overview_latest_score'), ['latest_score'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_overview_next_due'), ['next_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_overview_open_red_flags'), ['open_red_flags'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_overview_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('supplier_overview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_overview_status'))
        batch_op.drop_index(batch_op.f('ix_supplier_overview_open_red_flags'))
        batch_op.drop_index(batch_op.f('ix_supplier_overview_next_due'))
        batch_op.drop_index(batch_op.f('ix_supplier_overview_latest_score'))
        batch_op.drop_index(batch_op.f('ix_supplier_overview_due_date'))

    op.drop_table('supplier_overview')
