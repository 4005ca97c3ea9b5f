"""Telling supplier contacts that their feedback report is ready, and getting it rendered
ahead of them when a job queue is there."""

from __future__ import annotations

from flask import current_app, url_for

from portal.assessments.models import Assessment, AssessmentStatus
from portal.audit.logic import record
from portal.auth.logic import issue_sign_in_link
from portal.auth.models import User
from portal.db import utcnow
from portal.jobs import has_queue
from portal.notifications.logic import queue_mail
from portal.reports.documents import FEEDBACK, schedule
from portal.suppliers.models import Supplier


def _contact_locales(supplier: Supplier) -> set[str]:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return {c.locale or default for c in supplier.contacts if c.active} or {default}


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
    from portal.auth.views import sign_in_url

    if assessment.status != AssessmentStatus.ACCEPTED:
        return 0
    days = current_app.config["SIGN_IN_LINK_DAYS"]
    landing = url_for("supplier.submitted", assessment_id=assessment.id)
    contacts = [c for c in assessment.supplier.contacts if c.active]
    for contact in contacts:
        token = issue_sign_in_link(contact, by=by, days=days)
        queue_mail(
            contact.email,
            contact.locale,
            "feedback_ready",
            user=contact,
            url=sign_in_url(token, next=landing),
            title=assessment.questionnaire.title_in(contact.locale or "en"),
            days=days,
        )
    if contacts:
        assessment.feedback_sent_at = utcnow()
        record(
            "feedback_sent",
            object_type="assessment",
            object_id=assessment.id,
            by=by,
            supplier_id=assessment.supplier_id,
            recipients=len(contacts),
        )
        prepare_feedback(assessment)
    return len(contacts)
