"""What a supplier chose to share with which customer, and where it stopped sharing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.assessments.models import Assessment


class AnswerShare(OrganisationOwned, Base):
    """A supplier's consent: this assessment starts from answers it gave another customer.

    The row belongs to the receiving organisation. It keeps when those answers were given,
    so that nothing on the receiving side ever reads the other organisation's rows;
    `source_assessment_id` is for the supplier's own "who sees what" only.
    """

    __tablename__ = "answer_shares"
    organisation_parent = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    source_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )
    source_submitted_at: Mapped[datetime]  # when the shared answers were sent
    answers_copied: Mapped[int]
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(foreign_keys=[assessment_id])


class SharingStop(OrganisationOwned, Base):
    """The supplier no longer offers this customer the answers it gives others.

    One row per supplier relationship while sharing is stopped; starting again deletes it
    (both moves are in the audit log).
    """

    __tablename__ = "sharing_stops"
    organisation_parent = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), unique=True
    )
    stopped_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    stopped_at: Mapped[datetime] = mapped_column(default=utcnow)

    supplier = relationship("Supplier")
