"""Links that let a buyer or admin set a password: single use, short-lived, stored hashed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Base, utcnow


class LinkPurpose(enum.StrEnum):
    INVITE = "invite"  # a new account sets its first password
    RESET = "reset"  # an existing account sets a new one


class PasswordLink(Base):
    """A mailed link to set a password; only the SHA-256 of its token is stored."""

    __tablename__ = "password_links"
    __table_args__ = (CheckConstraint("purpose IN ('invite', 'reset')", name="known_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
