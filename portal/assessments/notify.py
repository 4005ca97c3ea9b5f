"""Mail to supplier contacts about their assessments, in each contact's language."""

from __future__ import annotations

from flask import current_app

from portal.assessments.models import Assessment
from portal.auth.logic import issue_sign_in_link
from portal.notifications.logic import queue_mail


def notify_returned(assessment: Assessment) -> None:
    """Tell every contact of the supplier that the buyer has questions, with a sign-in link."""
    from portal.auth.views import sign_in_url

    days = current_app.config["SIGN_IN_LINK_DAYS"]
    for contact in assessment.supplier.contacts:
        if not contact.active:
            continue
        token = issue_sign_in_link(contact, by=None, days=days)
        queue_mail(
            contact.email,
            contact.locale,
            "returned",
            user=contact,
            url=sign_in_url(token),
            title=assessment.questionnaire.title_in(contact.locale or "en"),
            days=days,
        )
