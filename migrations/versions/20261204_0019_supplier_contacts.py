"""supplier contacts: one person may answer for suppliers of several organisations

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 20:45:00

users.supplier_id becomes one supplier_contacts row per contact; whether a contact is
deactivated moves there too (it is the organisation's decision, not the person's), so
supplier contacts' users.active turns true. Downgrading refuses when a person answers for
more than one supplier.
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplier_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_supplier_contacts_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_contacts_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supplier_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_contacts')),
    sa.UniqueConstraint('supplier_id', 'user_id', name=op.f('uq_supplier_contacts_supplier_id_user_id'))
    )
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_contacts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_contacts_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_contacts_user_id'), ['user_id'], unique=False)

    op.execute(
        "INSERT INTO supplier_contacts (supplier_id, user_id, name, active, created_at, organisation_id)"
        " SELECT users.supplier_id, users.id, users.name, users.active, users.created_at,"
        " suppliers.organisation_id FROM users JOIN suppliers ON suppliers.id = users.supplier_id"
    )
    op.execute("UPDATE users SET active = true WHERE role = 'supplier'")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_supplier_contact_has_supplier'), type_='check')
        batch_op.drop_index(batch_op.f('ix_users_supplier_id'))
        batch_op.drop_constraint(batch_op.f('fk_users_supplier_id_suppliers'), type_='foreignkey')
        batch_op.drop_column('supplier_id')


def downgrade() -> None:
    connection = op.get_bind()
    shared = connection.execute(sa.text(
        "SELECT count(*) FROM (SELECT user_id FROM supplier_contacts GROUP BY user_id"
        " HAVING count(*) > 1) AS several"
    )).scalar()
    if shared:
        raise RuntimeError(f"{shared} contacts answer for several suppliers; one supplier each cannot hold them")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE users SET supplier_id = (SELECT supplier_id FROM supplier_contacts"
        " WHERE supplier_contacts.user_id = users.id),"
        " active = (SELECT active FROM supplier_contacts WHERE supplier_contacts.user_id = users.id)"
        " WHERE role = 'supplier'"
    )
    orphans = connection.execute(sa.text(
        "SELECT count(*) FROM users WHERE role = 'supplier' AND supplier_id IS NULL"
    )).scalar()
    if orphans:
        raise RuntimeError(f"{orphans} supplier contacts answer for no supplier")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_users_supplier_id_suppliers'), 'suppliers', ['supplier_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_users_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_check_constraint('supplier_contact_has_supplier', "(role = 'supplier') = (supplier_id IS NOT NULL)")

    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_user_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_organisation_id'))
    op.drop_table('supplier_contacts')
