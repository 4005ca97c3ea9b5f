"""The one place where a corrective action's status changes: who may move it where."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.actions.models import ActionEvent, ActionStatus, CorrectiveAction
from portal.assessments.status import TransitionRefused
from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow

S = ActionStatus
SUPPLIER, BUYER = "supplier", "buyer"
COMMENT_MAX = 5000

# (from, to) -> who may make the move; the system (by=None) may make any of them.
ALLOWED: dict[tuple[ActionStatus, ActionStatus], str] = {
    (S.OPEN, S.IN_PROGRESS): SUPPLIER,
    (S.REOPENED, S.IN_PROGRESS): SUPPLIER,
    (S.IN_PROGRESS, S.READY_FOR_VERIFICATION): SUPPLIER,
    (S.READY_FOR_VERIFICATION, S.CLOSED): BUYER,
    (S.READY_FOR_VERIFICATION, S.REOPENED): BUYER,
    (S.CLOSED, S.REOPENED): BUYER,
}
NEEDS_COMMENT = {S.REOPENED}

__all__ = ["ALLOWED", "TransitionRefused", "action_status_label", "change_action_status"]


def action_status_label(status: ActionStatus | str) -> str:
    """The translated name of an action's status."""
    labels = {
        S.OPEN: _("open"),
        S.IN_PROGRESS: _("in progress"),
        S.READY_FOR_VERIFICATION: _("ready for verification"),
        S.CLOSED: _("closed"),
        S.REOPENED: _("reopened"),
    }
    return labels[ActionStatus(status)]


def _may(by: User | None, who: str, action: CorrectiveAction) -> bool:
    if by is None:
        return True
    if who == SUPPLIER:
        return by.is_supplier and action.supplier_id in by.supplier_ids
    return by.is_buyer


def change_action_status(
    action: CorrectiveAction, to: ActionStatus | str, *, by: User | None, comment: str = ""
) -> None:
    """Move `action` to `to` if the rules let `by` do it, record the step, and audit it."""
    from_status, to = ActionStatus(action.status), ActionStatus(to)
    comment = (comment or "").strip()
    who = ALLOWED.get((from_status, to))
    if who is None:
        raise TransitionRefused(
            _(
                "This action is %(status)s; it cannot become %(to)s now.",
                status=action_status_label(from_status),
                to=action_status_label(to),
            )
        )
    if not _may(by, who, action):
        raise TransitionRefused(_("You cannot make this change to the action."))
    if to in NEEDS_COMMENT and not comment:
        raise TransitionRefused(_("Say why the action is reopened: the supplier will read it."))
    if len(comment) > COMMENT_MAX:
        raise TransitionRefused(
            _("The comment is too long (at most %(max)d characters).", max=COMMENT_MAX)
        )
    if to == S.READY_FOR_VERIFICATION and not any(
        u.note.strip() or u.evidence for u in action.updates
    ):
        raise TransitionRefused(
            _("Post an update that says what was done before asking for verification.")
        )
    action.status = to
    action.closed_at = utcnow() if to == S.CLOSED else None
    action.events.append(
        ActionEvent(
            actor_id=by.id if by else None,
            kind="status",
            from_status=from_status,
            to_status=to,
            comment=comment,
        )
    )
    record(
        "action_status",
        object_type="corrective_action",
        object_id=action.id,
        by=by,
        supplier_id=action.supplier_id,
        from_status=from_status,
        to_status=to,
        comment=comment,
    )
