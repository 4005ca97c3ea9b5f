"""answer sharing: a supplier starts one customer's assessment from answers given another

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-06 09:00:00

assessments.prefilled says an assessment started from earlier answers (each section then
needs confirming); it was `previous_id IS NOT NULL` until answers could also come from
another customer's assessment. answer_shares records each share (the supplier's consent),
sharing_stops the customers a supplier stopped offering its answers to.
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('prefilled', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute("UPDATE assessments SET prefilled = true WHERE previous_id IS NOT NULL")

    op.create_table('answer_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('source_assessment_id', sa.Integer(), nullable=True),
    sa.Column('source_submitted_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('answers_copied', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_answer_shares_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_answer_shares_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_answer_shares_shared_by_id_users')),
    sa.ForeignKeyConstraint(['source_assessment_id'], ['assessments.id'], name=op.f('fk_answer_shares_source_assessment_id_assessments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_shares')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_answer_shares_assessment_id'))
    )
    with op.batch_alter_table('answer_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_shares_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_shares_source_assessment_id'), ['source_assessment_id'], unique=False)

    op.create_table('sharing_stops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('stopped_by_id', sa.Integer(), nullable=True),
    sa.Column('stopped_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sharing_stops_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['stopped_by_id'], ['users.id'], name=op.f('fk_sharing_stops_stopped_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_sharing_stops_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_stops')),
    sa.UniqueConstraint('supplier_id', name=op.f('uq_sharing_stops_supplier_id'))
    )
    with op.batch_alter_table('sharing_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_stops_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sharing_stops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_stops_organisation_id'))
    op.drop_table('sharing_stops')
    with op.batch_alter_table('answer_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_shares_source_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_answer_shares_organisation_id'))
    op.drop_table('answer_shares')
    # An assessment started from shared answers is, after going down, a first assessment
    # whose answers are all there: nothing is lost, only the confirmations are no longer asked.
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('prefilled')
