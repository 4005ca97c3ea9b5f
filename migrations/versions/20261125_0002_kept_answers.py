"""kept answers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:00:47.163881
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kept_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_kept_answers_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_answers')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kept_answers_token_hash'))
    )
    with op.batch_alter_table('kept_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_answers_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_answers_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('kept_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_answers_created_at'))
        batch_op.drop_index(batch_op.f('ix_kept_answers_assessment_id'))

    op.drop_table('kept_answers')
