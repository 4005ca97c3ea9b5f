"""Rendered PDFs, kept under the key of what they show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class RenderedReport(Base):
    """One rendered PDF. `content_key` hashes everything the PDF shows (its HTML, its
    stylesheet and its paper size) except the date it was made, so a report whose content
    has not changed is served from here; a change gives a new key and a new rendering."""

    __tablename__ = "rendered_reports"
    __table_args__ = (
        CheckConstraint("kind IN ('feedback', 'summary')", name="known_kind"),
        Index("ix_rendered_reports_subject", "kind", "subject_id", "locale", "paper"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # feedback (an assessment), summary (a supplier)
    subject_id: Mapped[int]  # the assessment or supplier it is about
    locale: Mapped[str] = mapped_column(String(10))
    paper: Mapped[str] = mapped_column(String(10))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pages: Mapped[int]
    render_ms: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
