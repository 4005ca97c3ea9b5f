"""Buying organisations, and the mixin every row that belongs to one carries."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from portal.db import Base, utcnow


class Organisation(Base):
    """A buying company. Its buyers and admins see its suppliers, and nothing else."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganisationOwned:
    """A row that belongs to one organisation, hidden from every other (see scoping.py).

    `organisation_parent` names the relationship whose organisation a new row takes (an
    assessment takes its supplier's); a row without one (a supplier, a rating) takes the
    organisation of the buyer who creates it.
    """

    organisation_parent: ClassVar[str | None] = None

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:  # noqa: N805 - a declared attribute
        return mapped_column(ForeignKey("organisations.id"), index=True)
