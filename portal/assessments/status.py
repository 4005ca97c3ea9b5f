"""The one place where an assessment's status changes: who may move it where."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.assessments.models import Assessment, AssessmentStatus
from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow
from portal.refusals import Refused

S = AssessmentStatus
SUPPLIER, BUYER = "supplier", "buyer"

# (from, to) -> who may make the move; the system (by=None) may make any of them.
ALLOWED: dict[tuple[AssessmentStatus, AssessmentStatus], str] = {
    (S.INVITED, S.IN_PROGRESS): SUPPLIER,
    (S.INVITED, S.SUBMITTED): SUPPLIER,
    (S.IN_PROGRESS, S.SUBMITTED): SUPPLIER,
    (S.RETURNED, S.SUBMITTED): SUPPLIER,
    (S.SUBMITTED, S.ACCEPTED): BUYER,
    (S.SUBMITTED, S.RETURNED): BUYER,
}


def status_label(status: AssessmentStatus | str) -> str:
    """The translated name of a status."""
    labels = {
        S.INVITED: _("invited"),
        S.IN_PROGRESS: _("in progress"),
        S.SUBMITTED: _("submitted"),
        S.RETURNED: _("returned"),
        S.ACCEPTED: _("accepted"),
    }
    return labels[AssessmentStatus(status)]


class TransitionRefused(Refused):
    """A change that the rules do not allow; `message` says why, for the user."""


def _may(by: User | None, who: str, assessment: Assessment) -> bool:
    if by is None:
        return True
    if who == SUPPLIER:
        return by.is_supplier and assessment.supplier_id in by.supplier_ids
    return by.is_buyer


def check_change(assessment: Assessment, to: AssessmentStatus, *, by: User | None) -> None:
    """Raise TransitionRefused unless the rules let `by` move `assessment` to `to` now."""
    from_status = AssessmentStatus(assessment.status)
    who = ALLOWED.get((from_status, to))
    if who is None:
        raise TransitionRefused(
            _(
                "This assessment is already %(status)s; it cannot change now.",
                status=status_label(from_status),
            )
        )
    if not _may(by, who, assessment):
        raise TransitionRefused(_("You cannot make this change to the assessment."))


def change_status(assessment: Assessment, to: AssessmentStatus, *, by: User | None) -> None:
    """Move `assessment` to `to` if the rules let `by` do it, stamp it, and audit it."""
    from_status = AssessmentStatus(assessment.status)
    check_change(assessment, to, by=by)
    assessment.status = to
    if to == S.SUBMITTED:
        assessment.submitted_at = utcnow()
        assessment.submitted_by_id = by.id if by else None
    record(
        "assessment_status",
        object_type="assessment",
        object_id=assessment.id,
        by=by,
        supplier_id=assessment.supplier_id,
        organisation_id=assessment.organisation_id,
        from_status=from_status,
        to_status=to,
    )
