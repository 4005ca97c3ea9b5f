"""Rating overrides, each supplier's current risk, and the changes buyers acknowledge."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.suppliers.models import Supplier


class Tier(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RatingKind(enum.StrEnum):
    COUNTRY = "country"
    CATEGORY = "category"


MIN_RATING, MAX_RATING = 1, 5


class RatingOverride(OrganisationOwned, Base):
    """An admin's change to a shipped country or category rating (or a new category)."""

    __tablename__ = "risk_rating_overrides"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "key"),
        CheckConstraint("kind IN ('country', 'category')", name="known_kind"),
        CheckConstraint(f"rating BETWEEN {MIN_RATING} AND {MAX_RATING}", name="rating_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RatingKind] = mapped_column(String(10))
    # An ISO 3166 alpha-2 code or a category name in lower case; "default" for the rest.
    key: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User | None] = relationship()


class SupplierRisk(OrganisationOwned, Base):
    """A supplier's risk as last computed; `contributions` keep the why of the score."""

    __tablename__ = "supplier_risk"
    organisation_parent = "supplier"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_in_range"),
        CheckConstraint("tier IN ('high', 'medium', 'low')", name="known_tier"),
        # Everything the dashboard reads of one organisation's risks, from the index alone:
        # the rows themselves are wide (contributions) and spread among other organisations'.
        Index(
            "ix_supplier_risk_organisation_tier_score",
            "organisation_id",
            "tier",
            "score",
            "supplier_id",
        ),
    )

    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float]
    tier: Mapped[Tier] = mapped_column(String(10), index=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    contributions: Mapped[list] = mapped_column(JSON)  # [Contribution.to_dict(), ...]

    supplier: Mapped[Supplier] = relationship()


class RiskChange(OrganisationOwned, Base):
    """A move of a supplier's score or tier that buyers see until one acknowledges it."""

    __tablename__ = "risk_changes"
    organisation_parent = "supplier"
    __table_args__ = (
        CheckConstraint(
            "(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)", name="acknowledged_by_whom"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    old_score: Mapped[float]
    old_tier: Mapped[Tier] = mapped_column(String(10))
    new_score: Mapped[float]
    new_tier: Mapped[Tier] = mapped_column(String(10))
    reasons: Mapped[list] = mapped_column(JSON)  # [{"name", "old", "new", "params"}, ...]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)

    supplier: Mapped[Supplier] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()
