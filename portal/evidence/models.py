"""Evidence files attached to a corrective action's progress update."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.actions.models import ActionUpdate


class EvidenceFile(OrganisationOwned, Base):
    """A photo (re-encoded, metadata removed) or a PDF, stored under a generated name."""

    __tablename__ = "evidence_files"
    organisation_parent = "update"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("action_updates.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail_name: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(200))
    width: Mapped[int | None]
    height: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    update: Mapped[ActionUpdate] = relationship(back_populates="evidence")
