"""corrective actions, updates and their history

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 08:01:30.161369
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("what_must_change", sa.Text(), nullable=False),
        sa.Column("responsible_name", sa.String(length=200), nullable=False),
        sa.Column("responsible_role", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(), nullable=False),
        sa.Column("closed_at", portal.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status <> 'closed' OR closed_at IS NOT NULL",
            name=op.f("ck_corrective_actions_closed_has_closed_at"),
        ),
        sa.CheckConstraint(
            "status = 'closed' OR closed_at IS NULL",
            name=op.f("ck_corrective_actions_open_has_no_closed_at"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'ready_for_verification', 'closed', 'reopened')",
            name=op.f("ck_corrective_actions_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_corrective_actions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_corrective_actions_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_corrective_actions_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
    )
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_corrective_actions_due_date"), ["due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_corrective_actions_finding_id"), ["finding_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_corrective_actions_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=True),
        sa.Column("old_due_date", sa.Date(), nullable=True),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["corrective_actions.id"],
            name=op.f("fk_action_events_action_id_corrective_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_action_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_events")),
    )
    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_events_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "percent IS NULL OR (percent >= 0 AND percent <= 100)",
            name=op.f("ck_action_updates_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["corrective_actions.id"],
            name=op.f("fk_action_updates_action_id_corrective_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_action_updates_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_updates_action_id"), ["action_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_updates_action_id"))

    op.drop_table("action_updates")
    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_events_action_id"))

    op.drop_table("action_events")
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrective_actions_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_corrective_actions_finding_id"))
        batch_op.drop_index(batch_op.f("ix_corrective_actions_due_date"))

    op.drop_table("corrective_actions")
