"""Supplier companies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.assessments.models import Assessment
    from portal.auth.models import User


class Supplier(OrganisationOwned, Base):
    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("length(country) = 2", name="country_is_iso_code"),
        # The dashboard lists one organisation's suppliers by name.
        Index("ix_suppliers_organisation_name", "organisation_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    country: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts: Mapped[list[User]] = relationship(back_populates="supplier", order_by="User.id")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="supplier", order_by="Assessment.id"
    )

    @property
    def contact(self) -> User | None:
        return self.contacts[0] if self.contacts else None
