"""A corrective action on a finding, the supplier's progress updates and its history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.evidence.models import EvidenceFile
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.findings.models import Finding
    from portal.suppliers.models import Supplier


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    READY_FOR_VERIFICATION = "ready_for_verification"
    CLOSED = "closed"
    REOPENED = "reopened"


_STATUSES = ", ".join(f"'{s.value}'" for s in ActionStatus)


class CorrectiveAction(OrganisationOwned, Base):
    """What the supplier must change for one finding, by when, and who answers for it.

    Overdue is derived (`is_overdue`, `overdue_clause`) from the due date, never stored.
    """

    __tablename__ = "corrective_actions"
    organisation_parent = "supplier"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("status <> 'closed' OR closed_at IS NOT NULL", name="closed_has_closed_at"),
        CheckConstraint("status = 'closed' OR closed_at IS NULL", name="open_has_no_closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    what_must_change: Mapped[str] = mapped_column(Text, default="")
    responsible_name: Mapped[str] = mapped_column(String(200), default="")
    responsible_role: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(String(30), default=ActionStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    finding: Mapped[Finding] = relationship()
    supplier: Mapped[Supplier] = relationship()
    created_by: Mapped[User | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action",
        order_by="ActionUpdate.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    events: Mapped[list[ActionEvent]] = relationship(
        back_populates="action",
        order_by="ActionEvent.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its due date and not closed."""
        today = today or date.today()
        return self.status != ActionStatus.CLOSED and self.due_date < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @staticmethod
    def overdue_clause(today: date | None = None):
        """The SQL condition for `is_overdue`."""
        return and_(
            CorrectiveAction.status != ActionStatus.CLOSED,
            CorrectiveAction.due_date < (today or date.today()),
        )


class ActionUpdate(OrganisationOwned, Base):
    """A supplier's progress note on an action, with the evidence files sent with it."""

    __tablename__ = "action_updates"
    organisation_parent = "action"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_actions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[CorrectiveAction] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="update",
        order_by=EvidenceFile.id,
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ActionEvent(Base):
    """One step of an action's history shown to both sides: creation, a status change with
    its comment, or a due-date change with its reason. The audit log keeps the same facts."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_actions.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # created, status, due_date
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    old_due_date: Mapped[date | None] = mapped_column(Date)
    new_due_date: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[CorrectiveAction] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
