"""What really happens next for a supplier whose answers were accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.queries import actions_for_assessment
from portal.assessments.models import OPEN_STATUSES, Assessment, AssessmentStatus
from portal.extensions import db
from portal.risk.logic import risk_summary


@dataclass(frozen=True)
class NextSteps:
    open_actions: tuple[CorrectiveAction, ...]  # raised on this assessment, soonest due first
    comment: str  # the buyer's words on accepting, "" when none
    next_open: Assessment | None  # a questionnaire already waiting to be answered
    next_due: date | None  # when the tier asks for the next assessment; None: due now

    @property
    def due_now(self) -> bool:
        return self.next_due is None or self.next_due <= date.today()


def after_acceptance(assessment: Assessment) -> NextSteps | None:
    """The actions to work on, the buyer's comment and the next assessment; None until the
    answers are accepted."""
    if assessment.status != AssessmentStatus.ACCEPTED:
        return None
    accepted = next(
        (r for r in reversed(assessment.revisions) if r.decision == AssessmentStatus.ACCEPTED),
        None,
    )
    next_open = db.session.scalar(
        select(Assessment)
        .where(
            Assessment.supplier_id == assessment.supplier_id,
            Assessment.status.in_(OPEN_STATUSES),
        )
        .order_by(Assessment.due_date, Assessment.id)
        .limit(1)
    )
    return NextSteps(
        open_actions=tuple(
            action
            for action in actions_for_assessment(assessment.id)
            if action.status != ActionStatus.CLOSED
        ),
        comment=(accepted.decision_comment or "").strip() if accepted else "",
        next_open=next_open,
        next_due=None if next_open else risk_summary(assessment.supplier).next_due,
    )
