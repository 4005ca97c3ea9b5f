"""instance admins: a role that runs the portal and belongs to no organisation

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 09:00:00

An instance admin creates organisations and their first admins; like a supplier contact
it belongs to no organisation. Going back down refuses while instance admins exist: the
older schema has no place for them.
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

NEW = "(role IN ('supplier', 'instance_admin')) = (organisation_id IS NULL)"
OLD = "(role = 'supplier') = (organisation_id IS NULL)"


def _replace_check(condition: str) -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_buyer_has_organisation'), type_='check')
        batch_op.create_check_constraint('buyer_has_organisation', condition)


def upgrade() -> None:
    _replace_check(NEW)


def downgrade() -> None:
    connection = op.get_bind()
    count = connection.execute(
        sa.text("SELECT count(*) FROM users WHERE role = 'instance_admin'")
    ).scalar()
    if count:
        raise RuntimeError(
            f"{count} instance admin account(s) exist; before migration 0016 there were none"
        )
    _replace_check(OLD)
