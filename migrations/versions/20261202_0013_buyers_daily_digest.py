"""buyers daily digest

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:38:23.395914
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digest_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', portal.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_digest_items_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_items_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_items'))
    )
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_items_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_digest_items_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_digest_items_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_digest', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('daily_digest')

    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_items_user_id'))
        batch_op.drop_index(batch_op.f('ix_digest_items_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_digest_items_sent_at'))

    op.drop_table('digest_items')
