"""Supplier companies, and each buying organisation's relationship with one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.assessments.models import Assessment
    from portal.auth.models import User
    from portal.organisations.models import Organisation


class Company(Base):
    """A supplier company, once per portal, whichever organisations work with it.

    Organisations never see it directly: each sees its own `Supplier` row. It is what
    lets a supplier answer once for several customers. Two organisations' suppliers are
    the same company when they share a registration number in one country, or else the
    same name key (suppliers/matching.py) in one country.
    """

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(country) = 2", name="country_is_iso_code"),
        Index("ix_companies_country_key", "country", "key"),
        Index("ix_companies_country_registration", "country", "registration_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # as the first organisation wrote it
    country: Mapped[str] = mapped_column(String(2))
    key: Mapped[str] = mapped_column(String(200))  # matching.company_key(name)
    registration_number: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Supplier(OrganisationOwned, Base):
    """One organisation's relationship with a supplier company: the company as this
    organisation knows it (its name, country, category and contacts) and everything the
    organisation keeps about it (assessments, findings, actions, risk)."""

    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("length(country) = 2", name="country_is_iso_code"),
        # The dashboard lists one organisation's suppliers by name.
        Index("ix_suppliers_organisation_name", "organisation_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    country: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship()
    organisation: Mapped[Organisation] = relationship()
    contact_links: Mapped[list[SupplierContact]] = relationship(
        back_populates="supplier", order_by="SupplierContact.id", cascade="all, delete-orphan"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="supplier", order_by="Assessment.id"
    )

    @property
    def contacts(self) -> list[User]:
        """The people who answer for this supplier to this organisation, active or not."""
        return [link.user for link in self.contact_links]

    @property
    def active_contacts(self) -> list[User]:
        """The contacts this organisation still works with (mail goes to these)."""
        return [link.user for link in self.contact_links if link.is_active]

    @property
    def contact(self) -> User | None:
        return self.contacts[0] if self.contacts else None


class SupplierContact(OrganisationOwned, Base):
    """A person who answers for a supplier to one organisation.

    One person (a `User`, by email address) may answer for suppliers of several
    organisations: signed in once, they see every customer's requests. Each organisation
    knows them under its own name for them, and deactivating them ends their access to
    that organisation's requests only.
    """

    __tablename__ = "supplier_contacts"
    __table_args__ = (UniqueConstraint("supplier_id", "user_id"),)
    organisation_parent = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")  # as this organisation knows them
    active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supplier: Mapped[Supplier] = relationship(back_populates="contact_links")
    user: Mapped[User] = relationship(back_populates="contact_links")

    @property
    def is_active(self) -> bool:
        return self.active and self.user.active

    @property
    def display_name(self) -> str:
        return self.name or self.user.name or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def locale(self) -> str | None:
        return self.user.locale
