"""Which reminders were sent, so that running the daily command twice sends nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class SentReminder(Base):
    """One reminder of one kind, about one thing, to one person, for one period."""

    __tablename__ = "sent_reminders"
    __table_args__ = (
        UniqueConstraint("kind", "subject_type", "subject_id", "recipient", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. action_due_7, action_overdue, escalation
    subject_type: Mapped[str] = mapped_column(String(20))  # action or assessment
    subject_id: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(254))
    period: Mapped[str] = mapped_column(String(20))  # the due date, or the ISO week for weeklies
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
