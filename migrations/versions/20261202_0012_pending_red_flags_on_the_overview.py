"""pending red flags on the supplier overview

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        'supplier_overview',
        sa.Column('pending_red_flags', sa.Integer(), server_default='0', nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table('supplier_overview') as batch_op:
        batch_op.drop_column('pending_red_flags')
