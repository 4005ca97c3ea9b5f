"""companies: a supplier company once per portal, each organisation's supplier row points to it

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 20:40:00

Existing suppliers of the same country whose names give the same key (suppliers/matching)
become one company; every other supplier its own.
"""

from alembic import op
import sqlalchemy as sa

import portal.db
from portal.suppliers.matching import company_key


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('registration_number', sa.String(length=64), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('length(country) = 2', name=op.f('ck_companies_country_is_iso_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index('ix_companies_country_key', ['country', 'key'], unique=False)
        batch_op.create_index('ix_companies_country_registration', ['country', 'registration_number'], unique=False)
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))

    connection = op.get_bind()
    companies = {}
    suppliers = connection.execute(
        sa.text("SELECT id, name, country, created_at FROM suppliers ORDER BY id")
    ).all()
    for supplier_id, name, country, created_at in suppliers:
        key = company_key(name)
        if (country, key) not in companies:
            connection.execute(
                sa.text("INSERT INTO companies (name, country, key, created_at)"
                        " VALUES (:name, :country, :key, :created_at)"),
                {"name": name, "country": country, "key": key, "created_at": created_at},
            )
            companies[(country, key)] = connection.execute(
                sa.text("SELECT max(id) FROM companies")
            ).scalar()
        connection.execute(
            sa.text("UPDATE suppliers SET company_id = :company WHERE id = :id"),
            {"company": companies[(country, key)], "id": supplier_id},
        )

    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.alter_column('company_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_suppliers_company_id'), ['company_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_suppliers_company_id_companies'), 'companies', ['company_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_suppliers_company_id_companies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_suppliers_company_id'))
        batch_op.drop_column('company_id')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('ix_companies_country_registration')
        batch_op.drop_index('ix_companies_country_key')
    op.drop_table('companies')
