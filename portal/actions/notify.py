"""Mail to supplier contacts about their corrective actions, in each contact's language."""

from __future__ import annotations

from flask import current_app

from portal.actions.models import CorrectiveAction
from portal.auth.logic import issue_sign_in_link
from portal.notifications.logic import queue_mail


def _mail_contacts(action: CorrectiveAction, template: str) -> None:
    from portal.auth.views import sign_in_url

    days = current_app.config["SIGN_IN_LINK_DAYS"]
    for contact in action.supplier.contacts:
        if not contact.active:
            continue
        token = issue_sign_in_link(contact, by=None, days=days)
        queue_mail(
            contact.email,
            contact.locale,
            template,
            user=contact,
            action=action,
            url=sign_in_url(token),
            days=days,
        )


def notify_assigned(action: CorrectiveAction) -> None:
    """Tell every active contact of the supplier about a new action, with a sign-in link."""
    _mail_contacts(action, "action_assigned")


def notify_verified(action: CorrectiveAction) -> None:
    """Tell every active contact of the supplier that the buyer verified and closed an action."""
    _mail_contacts(action, "action_verified")
