"""People who sign in: buyers, admins and instance admins by password, supplier contacts by
link."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow

if TYPE_CHECKING:
    from portal.suppliers.models import Supplier, SupplierContact


class Role(enum.StrEnum):
    ADMIN = "admin"
    BUYER = "buyer"
    SUPPLIER = "supplier"
    # Runs the portal: creates organisations and their first admins; belongs to none and
    # sees no organisation's suppliers.
    INSTANCE_ADMIN = "instance_admin"


# Roles that belong to a buying organisation.
ORGANISATION_ROLES = (Role.BUYER, Role.ADMIN)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role IN ('supplier', 'instance_admin')) = (organisation_id IS NULL)",
            name="buyer_has_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # A buyer's or admin's organisation; supplier contacts and instance admins belong to none.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    # A buyer who prefers one daily mail listing submissions and actions ready for
    # verification to one mail each time.
    daily_digest: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The suppliers this person answers for, one link per supplier (and organisation).
    contact_links: Mapped[list[SupplierContact]] = relationship(
        back_populates="user", order_by="SupplierContact.id"
    )

    @property
    def supplier_ids(self) -> list[int]:
        """The suppliers this contact may act for now (links still active)."""
        return [link.supplier_id for link in self.contact_links if link.active]

    @property
    def suppliers(self) -> list[Supplier]:
        return [link.supplier for link in self.contact_links if link.active]

    @property
    def supplier(self) -> Supplier | None:
        """The first supplier this contact acts for (the only one, in most portals)."""
        suppliers = self.suppliers
        return suppliers[0] if suppliers else None

    def get_id(self) -> str:
        """Session identity; bumping session_version signs the user out everywhere."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def can_sign_in(self) -> bool:
        """Active, and for a contact: still answering for at least one supplier."""
        return self.active and (not self.is_supplier or bool(self.supplier_ids))

    @property
    def is_supplier(self) -> bool:
        return self.role == Role.SUPPLIER

    @property
    def is_buyer(self) -> bool:
        return self.role in ORGANISATION_ROLES

    @property
    def is_instance_admin(self) -> bool:
        return self.role == Role.INSTANCE_ADMIN

    @property
    def display_name(self) -> str:
        return self.name or self.email


class SignInLink(Base):
    """A one-time sign-in link; only the SHA-256 of its token is stored."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
