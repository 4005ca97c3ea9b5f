"""One row per supplier with what the dashboard lists, kept up to date on every change."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.suppliers.models import Supplier


class SupplierOverview(OrganisationOwned, Base):
    """The supplier's latest assessment and when it is next due, for fast lists of thousands.

    Rewritten by `refresh_overviews` whenever an assessment or the supplier's risk changes,
    so that the dashboard filters and sorts on indexed columns instead of per-row queries.
    """

    __tablename__ = "supplier_overview"
    organisation_parent = "supplier"

    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True
    )
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    due_date: Mapped[date | None] = mapped_column(index=True)
    latest_score: Mapped[float | None] = mapped_column(index=True)
    open_red_flags: Mapped[int] = mapped_column(default=0, index=True)  # pending included
    pending_red_flags: Mapped[int] = mapped_column(default=0, server_default="0")
    next_due: Mapped[date | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    supplier: Mapped[Supplier] = relationship()
