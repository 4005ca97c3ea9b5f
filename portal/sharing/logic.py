"""Sharing answers with a customer, and stopping or starting again to offer them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal.assessments.drafts import store_answers
from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.assessments.reassessment import carried_over
from portal.assessments.status import TransitionRefused, change_status
from portal.audit.logic import record
from portal.auth.models import User
from portal.extensions import db
from portal.sharing.models import AnswerShare, SharingStop
from portal.sharing.offers import offers_for
from portal.suppliers.models import Supplier


def share_answers(assessment: Assessment, revision_id: int, *, by: User) -> AnswerShare:
    """Start `assessment` (locked by the caller) from the answers of the offered revision.

    The supplier then confirms each section, as in a reassessment, and submits to this
    customer alone. Refused when the offer no longer stands (answered meanwhile, sharing
    stopped, already shared, another revision, not the person's).
    """
    offer = offers_for(by, [assessment]).get(assessment.id)
    if offer is None or offer.revision_id != revision_id:
        raise TransitionRefused(
            _("These answers can no longer be shared here. Answer the questions instead.")
        )
    revision = db.session.get(Revision, offer.revision_id)
    answers = carried_over(assessment.questionnaire.definition, revision.answers)
    store_answers(assessment, answers, by=by)
    assessment.prefilled = True
    assessment.confirmed_sections = []
    if assessment.status == AssessmentStatus.INVITED:  # sharing is starting to answer
        change_status(assessment, AssessmentStatus.IN_PROGRESS, by=by)
    share = AnswerShare(
        assessment=assessment,
        source_assessment_id=offer.source_assessment_id,
        source_submitted_at=offer.submitted_at,
        answers_copied=len(answers),
        shared_by_id=by.id,
    )
    db.session.add(share)
    record(
        "answers_shared",
        object_type="assessment",
        object_id=assessment.id,
        by=by,
        supplier_id=assessment.supplier_id,
        organisation_id=assessment.organisation_id,
        answers=len(answers),
        sent_on=offer.submitted_at.date().isoformat(),
    )
    return share


def share_of(assessment: Assessment) -> AnswerShare | None:
    """What the supplier shared into this assessment, if it started from shared answers."""
    return db.session.scalar(select(AnswerShare).where(AnswerShare.assessment_id == assessment.id))


def sharing_stopped(supplier: Supplier) -> SharingStop | None:
    return db.session.scalar(select(SharingStop).where(SharingStop.supplier_id == supplier.id))


def stop_sharing(supplier: Supplier, *, by: User) -> None:
    """Offer this customer's future requests no answers given to others (already so: no-op)."""
    if sharing_stopped(supplier) is not None:
        return
    db.session.add(SharingStop(supplier=supplier, stopped_by_id=by.id))
    record(
        "answer_sharing_stopped",
        object_type="supplier",
        object_id=supplier.id,
        by=by,
        supplier_id=supplier.id,
        organisation_id=supplier.organisation_id,
    )


def resume_sharing(supplier: Supplier, *, by: User) -> None:
    """Offer this customer's blank requests answers given to others again."""
    stop = sharing_stopped(supplier)
    if stop is None:
        return
    db.session.delete(stop)
    record(
        "answer_sharing_resumed",
        object_type="supplier",
        object_id=supplier.id,
        by=by,
        supplier_id=supplier.id,
        organisation_id=supplier.organisation_id,
    )
