"""organisations: every buyer, supplier and what hangs on them belongs to one

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 20:30:00

Existing data moves into one organisation, "Default organisation" (renamed in the admin
pages); a database without users or suppliers gets none (seed-demo or create-user makes
it). Downgrading keeps the rows of the first organisation only if it is the only one,
and refuses otherwise: several organisations cannot be folded into one portal silently.
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

DEFAULT_NAME = "Default organisation"

# Tables whose every row belongs to one organisation.
OWNED = ("suppliers", "assessments", "revisions", "findings", "corrective_actions",
         "action_updates", "evidence_files", "risk_changes", "risk_rating_overrides",
         "supplier_risk", "supplier_overview")
# Tables where no organisation has a meaning (a supplier contact, a shared questionnaire).
OPTIONAL = ("users", "questionnaire_versions", "audit_log")


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    connection = op.get_bind()
    has_data = connection.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM suppliers)"
    )).scalar()
    organisation_id = None
    if has_data:
        connection.execute(
            sa.text("INSERT INTO organisations (name, created_at) VALUES (:name, CURRENT_TIMESTAMP)"),
            {"name": DEFAULT_NAME},
        )
        organisation_id = connection.execute(sa.text("SELECT min(id) FROM organisations")).scalar()

    for table in OWNED + OPTIONAL:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
    if organisation_id is not None:
        for table in OWNED + ("questionnaire_versions",):
            connection.execute(sa.text(f"UPDATE {table} SET organisation_id = :o"), {"o": organisation_id})
        connection.execute(
            sa.text("UPDATE users SET organisation_id = :o WHERE role <> 'supplier'"),
            {"o": organisation_id},
        )
        connection.execute(sa.text(
            "UPDATE audit_log SET organisation_id = :o WHERE supplier_id IS NOT NULL"
            " OR actor_id IN (SELECT id FROM users WHERE role <> 'supplier')"
        ), {"o": organisation_id})

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_organisation_id'), ['organisation_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'])
            if table == "risk_rating_overrides":
                batch_op.drop_constraint(op.f('uq_risk_rating_overrides_kind_key'), type_='unique')
                batch_op.create_unique_constraint(op.f('uq_risk_rating_overrides_organisation_id_kind_key'), ['organisation_id', 'kind', 'key'])
    for table in OPTIONAL:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_organisation_id'), ['organisation_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'])
            if table == "users":
                batch_op.create_check_constraint('buyer_has_organisation', "(role = 'supplier') = (organisation_id IS NULL)")
    # The dashboard lists one organisation's suppliers by name.
    op.create_index('ix_suppliers_organisation_name', 'suppliers', ['organisation_id', 'name'])


def downgrade() -> None:
    connection = op.get_bind()
    count = connection.execute(sa.text("SELECT count(*) FROM organisations")).scalar()
    if count > 1:
        raise RuntimeError(
            f"{count} organisations share this portal; a portal of one cannot hold them apart"
        )
    op.drop_index('ix_suppliers_organisation_name', table_name='suppliers')
    for table in OPTIONAL + OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "users":
                batch_op.drop_constraint(op.f('ck_users_buyer_has_organisation'), type_='check')
            if table == "risk_rating_overrides":
                batch_op.drop_constraint(op.f('uq_risk_rating_overrides_organisation_id_kind_key'), type_='unique')
                batch_op.create_unique_constraint(op.f('uq_risk_rating_overrides_kind_key'), ['kind', 'key'])
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_organisation_id_organisations'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_organisation_id'))
            batch_op.drop_column('organisation_id')
    op.drop_table('organisations')
