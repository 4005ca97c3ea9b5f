"""Mail to supplier contacts about their assessments, in each contact's language."""

from __future__ import annotations

from portal.assessments.models import Assessment
from portal.assessments.review import latest_revision
from portal.auth.models import User
from portal.notifications.buyers import ASSESSMENT_SUBMITTED, tell_buyers
from portal.notifications.contacts import mail_supplier_contacts
from portal.urls import absolute_url, portal_path


def _title(assessment: Assessment):
    return lambda contact: {
        "assessment": assessment,
        "title": assessment.questionnaire.title_in(contact.locale or "en"),
    }


def notify_returned(assessment: Assessment) -> int:
    """Tell every contact of the supplier that the buyer has questions, with a sign-in link."""
    return mail_supplier_contacts(
        assessment.supplier,
        "returned",
        _title(assessment),
        landing=portal_path("supplier.overview", assessment_id=assessment.id),
    )


def notify_accepted(assessment: Assessment) -> int:
    """Tell every contact of the supplier that the buyer accepted its answers, with the
    buyer's comment when there is one."""
    revision = latest_revision(assessment)
    comment = (revision.decision_comment or "") if revision else ""
    return mail_supplier_contacts(
        assessment.supplier,
        "accepted",
        lambda contact: {**_title(assessment)(contact), "comment": comment},
        landing=portal_path("supplier.submitted", assessment_id=assessment.id),
    )


def notify_assigned(assessment: Assessment, *, by: User | None = None) -> int:
    """Invite every active contact of the supplier to answer a newly assigned questionnaire."""
    return mail_supplier_contacts(
        assessment.supplier,
        "assessment_assigned",
        _title(assessment),
        by=by,
        landing=portal_path("supplier.overview", assessment_id=assessment.id),
    )


def notify_buyers_submitted(assessment: Assessment) -> tuple[int, int]:
    """Tell the buyer who assigned the assessment (see notifications.buyers) that the
    supplier submitted it: a mail now, or an item of the daily digest."""
    return tell_buyers(
        ASSESSMENT_SUBMITTED,
        subject_id=assessment.id,
        supplier_id=assessment.supplier_id,
        responsible_id=assessment.created_by_id,
        template="buyer_submitted",
        assessment=assessment,
        supplier=assessment.supplier,
        url=absolute_url("buyer_assessments.show", assessment_id=assessment.id),
        settings_url=absolute_url("notifications.settings"),
    )
