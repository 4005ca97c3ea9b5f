"""Telling supplier contacts that their feedback report is ready, and getting it rendered
ahead of them when a job queue is there."""

from __future__ import annotations

from flask import current_app

from portal.assessments.models import Assessment, AssessmentStatus
from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow
from portal.jobs import has_queue
from portal.notifications.contacts import mail_supplier_contacts
from portal.reports.documents import FEEDBACK, schedule
from portal.suppliers.models import Supplier
from portal.urls import portal_path


def _contact_locales(supplier: Supplier) -> set[str]:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return {c.locale or default for c in supplier.active_contacts} or {default}


def prepare_feedback(assessment: Assessment) -> None:
    """Have the report rendered in every contact's language once this request commits,
    when a job queue is configured (without one it is rendered when first opened)."""
    if not has_queue() or assessment.status != AssessmentStatus.ACCEPTED:
        return
    for locale in sorted(_contact_locales(assessment.supplier)):
        schedule(FEEDBACK, assessment.id, locale, "a4")


def send_feedback(assessment: Assessment, *, by: User) -> int:
    """Mail every active contact a sign-in link that opens the report; returns how many.

    Nothing is sent (0) before the assessment is accepted.
    """
    if assessment.status != AssessmentStatus.ACCEPTED:
        return 0
    sent = mail_supplier_contacts(
        assessment.supplier,
        "feedback_ready",
        lambda contact: {"title": assessment.questionnaire.title_in(contact.locale or "en")},
        by=by,
        landing=portal_path("supplier.submitted", assessment_id=assessment.id),
    )
    if sent:
        assessment.feedback_sent_at = utcnow()
        record(
            "feedback_sent",
            object_type="assessment",
            object_id=assessment.id,
            by=by,
            supplier_id=assessment.supplier_id,
            recipients=sent,
        )
        prepare_feedback(assessment)
    return sent
