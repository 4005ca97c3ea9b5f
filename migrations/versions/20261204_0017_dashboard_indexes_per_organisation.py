"""dashboard indexes per organisation

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 21:00:00

One organisation's supplier_risk rows are spread over the whole table among every other
organisation's, and each is wide (its contributions): the dashboard's figures and list
read tier, score and supplier id of 10,000 of them from this index alone instead of
visiting nearly every page of the table.
"""

from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_supplier_risk_organisation_tier_score', 'supplier_risk',
                    ['organisation_id', 'tier', 'score', 'supplier_id'])


def downgrade() -> None:
    op.drop_index('ix_supplier_risk_organisation_tier_score', table_name='supplier_risk')
