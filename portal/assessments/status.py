"""The one place where an assessment's status changes."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.assessments.models import Assessment, AssessmentStatus
from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow

ALLOWED = {
    AssessmentStatus.INVITED: {AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED},
    AssessmentStatus.IN_PROGRESS: {AssessmentStatus.SUBMITTED},
    AssessmentStatus.SUBMITTED: set(),
}


def status_label(status: AssessmentStatus | str) -> str:
    """The translated name of a status."""
    labels = {
        AssessmentStatus.INVITED: _("invited"),
        AssessmentStatus.IN_PROGRESS: _("in progress"),
        AssessmentStatus.SUBMITTED: _("submitted"),
    }
    return labels[AssessmentStatus(status)]


class TransitionRefused(Exception):
    """A change that the rules do not allow; `message` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def change_status(assessment: Assessment, to: AssessmentStatus, *, by: User | None) -> None:
    """Move `assessment` to `to` if allowed, stamp it, and append an audit row."""
    from_status = AssessmentStatus(assessment.status)
    if to not in ALLOWED[from_status]:
        raise TransitionRefused(
            _(
                "This assessment is already %(status)s; it cannot change now.",
                status=status_label(from_status),
            )
        )
    assessment.status = to
    if to == AssessmentStatus.SUBMITTED:
        assessment.submitted_at = utcnow()
        assessment.submitted_by_id = by.id if by else None
    record(
        "assessment_status",
        object_type="assessment",
        object_id=assessment.id,
        by=by,
        supplier_id=assessment.supplier_id,
        from_status=from_status,
        to_status=to,
    )
