"""feedback reports rendered and sent

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:09:14.226204
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rendered_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('paper', sa.String(length=10), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('render_ms', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('feedback', 'summary')", name=op.f('ck_rendered_reports_known_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_reports')),
    sa.UniqueConstraint('content_key', name=op.f('uq_rendered_reports_content_key'))
    )
    with op.batch_alter_table('rendered_reports', schema=None) as batch_op:
        batch_op.create_index('ix_rendered_reports_subject', ['kind', 'subject_id', 'locale', 'paper'], unique=False)

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_sent_at', portal.db.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('feedback_sent_at')

    with op.batch_alter_table('rendered_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_rendered_reports_subject')

    op.drop_table('rendered_reports')
