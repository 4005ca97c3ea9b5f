"""Assessments, their draft answers and their frozen revisions."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.organisations.models import OrganisationOwned

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.questionnaires.models import QuestionnaireVersion
    from portal.suppliers.models import Supplier


class AssessmentStatus(enum.StrEnum):
    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back to the supplier with questions
    ACCEPTED = "accepted"


OPEN_STATUSES = (AssessmentStatus.INVITED, AssessmentStatus.IN_PROGRESS, AssessmentStatus.RETURNED)


class Assessment(OrganisationOwned, Base):
    __tablename__ = "assessments"
    organisation_parent = "supplier"
    __table_args__ = (
        CheckConstraint(
            "status IN ('invited', 'in_progress') OR submitted_at IS NOT NULL",
            name="submitted_has_time",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    status: Mapped[AssessmentStatus] = mapped_column(String(20), default=AssessmentStatus.INVITED)
    due_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A reassessment starts from the supplier's last accepted assessment of the same
    # questionnaire; the supplier confirms each pre-filled section or changes it.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    # Started from answers given before (a reassessment, or answers the supplier shared
    # from another customer's assessment: sharing/): each section needs confirming.
    prefilled: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    confirmed_sections: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    feedback_sent_at: Mapped[datetime | None]  # when the buyer last sent the feedback report

    supplier: Mapped[Supplier] = relationship(back_populates="assessments")
    previous: Mapped[Assessment | None] = relationship(remote_side="Assessment.id")
    questionnaire: Mapped[QuestionnaireVersion] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="assessment", order_by="Revision.number", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        """The supplier may change the answers."""
        return self.status in OPEN_STATUSES


class Answer(Base):
    """The supplier's current (draft) answer to one question."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")


class Revision(OrganisationOwned, Base):
    """The answers as they were at one submission; never changed afterwards."""

    __tablename__ = "revisions"
    organisation_parent = "assessment"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    number: Mapped[int]
    answers: Mapped[dict] = mapped_column(JSON)
    score: Mapped[dict | None] = mapped_column(JSON)  # AssessmentScore.to_dict()
    red_flags: Mapped[list | None] = mapped_column(JSON)  # [RedFlag.to_dict(), ...]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(20))  # accepted or returned
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_comment: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="revisions")
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    comments: Mapped[list[ReviewComment]] = relationship(
        back_populates="revision", order_by="ReviewComment.id", cascade="all, delete-orphan"
    )


class ReviewComment(Base):
    """A buyer's question or remark on one answer of a revision."""

    __tablename__ = "review_comments"
    __table_args__ = (UniqueConstraint("revision_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="comments")


class KeptAnswers(Base):
    """What a supplier typed in a section when their sign-in had ended, kept for them.

    It is handed back only to a browser that holds the token and signs in as the
    assessment's supplier, and only for a week.
    """

    __tablename__ = "kept_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[int]
    values: Mapped[dict] = mapped_column(JSON)
    # The form's stamps: a restored draft still notices a save made meanwhile elsewhere.
    stamps: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SaveReceipt(Base):
    """A save the server acknowledged, by the id the phone made for it.

    A resent save (a retry after a timeout, a double tap) finds its receipt and is not
    stored again; the same id with other answers is refused.
    """

    __tablename__ = "save_receipts"
    __table_args__ = (UniqueConstraint("assessment_id", "save_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    save_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
