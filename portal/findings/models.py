"""A finding recorded by a buyer about one supplier, usually from one answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.assessments.models import Assessment, Revision
    from portal.auth.models import User


class Finding(OrganisationOwned, Base):
    """Something the buyer found that needs to change; corrective actions will hang on it.

    A finding raised from a critical answer keeps `question_key` and `critical_rule`, so
    that reports can show the definition's own finding text in the supplier's language.
    """

    __tablename__ = "findings"
    organisation_parent = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    question_key: Mapped[str | None] = mapped_column(String(64))
    critical_rule: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(20))  # a questionnaires.definition.Severity
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    revision: Mapped[Revision | None] = relationship()
    created_by: Mapped[User | None] = relationship()
