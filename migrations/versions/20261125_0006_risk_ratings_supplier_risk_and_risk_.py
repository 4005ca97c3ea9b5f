"""risk ratings, supplier risk and risk changes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 07:41:02.955985
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplier_risk',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('computed_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('contributions', sa.JSON(), nullable=False),
    sa.CheckConstraint("tier IN ('high', 'medium', 'low')", name=op.f('ck_supplier_risk_known_tier')),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_supplier_risk_score_in_range')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_risk_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('supplier_id', name=op.f('pk_supplier_risk'))
    )
    with op.batch_alter_table('supplier_risk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_risk_tier'), ['tier'], unique=False)

    op.create_table('risk_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('old_score', sa.Double(), nullable=False),
    sa.Column('old_tier', sa.String(length=10), nullable=False),
    sa.Column('new_score', sa.Double(), nullable=False),
    sa.Column('new_tier', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', portal.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)', name=op.f('ck_risk_changes_acknowledged_by_whom')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_risk_changes_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_risk_changes_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_changes'))
    )
    with op.batch_alter_table('risk_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_changes_acknowledged_at'), ['acknowledged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_changes_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('risk_rating_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', portal.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('country', 'category')", name=op.f('ck_risk_rating_overrides_known_kind')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_risk_rating_overrides_rating_in_range')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_risk_rating_overrides_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_rating_overrides')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_risk_rating_overrides_kind_key'))
    )


def downgrade() -> None:
    op.drop_table('risk_rating_overrides')
    with op.batch_alter_table('risk_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_changes_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_risk_changes_acknowledged_at'))

    op.drop_table('risk_changes')
    with op.batch_alter_table('supplier_risk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_risk_tier'))

    op.drop_table('supplier_risk')
