"""Mail to supplier contacts about their corrective actions, in each contact's language."""

from __future__ import annotations

from portal.actions.models import CorrectiveAction
from portal.notifications.buyers import ACTION_READY, tell_buyers
from portal.notifications.contacts import mail_supplier_contacts
from portal.urls import absolute_url, portal_path


def _mail_contacts(
    action: CorrectiveAction, template: str, landing: str | None = None, **context: object
) -> int:
    return mail_supplier_contacts(
        action.supplier,
        template,
        {"action": action, **context},
        landing=landing or portal_path("supplier_actions.show", action_id=action.id),
    )


def notify_assigned(action: CorrectiveAction) -> int:
    """Tell every active contact of the supplier about a new action, with a sign-in link."""
    return _mail_contacts(action, "action_assigned")


def notify_verified(action: CorrectiveAction) -> int:
    """Tell every active contact of the supplier that the buyer verified and closed an action."""
    return _mail_contacts(action, "action_verified", portal_path("supplier_actions.index"))


def notify_reopened(action: CorrectiveAction, reason: str) -> int:
    """Tell every active contact of the supplier that the buyer reopened an action, and why."""
    return _mail_contacts(action, "action_reopened", reason=reason)


def notify_buyers_ready(action: CorrectiveAction) -> tuple[int, int]:
    """Tell the buyer who opened the action (see notifications.buyers) that the supplier
    asks for verification: a mail now, or an item of the daily digest."""
    return tell_buyers(
        ACTION_READY,
        subject_id=action.id,
        supplier_id=action.supplier_id,
        responsible_id=action.created_by_id,
        template="buyer_action_ready",
        action=action,
        supplier=action.supplier,
        url=absolute_url("actions.show", action_id=action.id),
        settings_url=absolute_url("notifications.settings"),
    )
