"""Reading corrective actions for pages: lists, counts and histories, in few statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.models import (
    ActionEvent,
    ActionStatus,
    ActionUpdate,
    CorrectiveAction,
)
from portal.auth.access import of_suppliers
from portal.evidence.models import EvidenceFile
from portal.extensions import db
from portal.findings.models import Finding

TITLE_MAX = 200
TEXT_MAX = 5000
NAME_MAX = 200
NOTE_MAX = 5000
FILTERS = ("open", "overdue", "ready")
EVIDENCE_MAX_FILES = 5


def evidence_file(
    action_id: int, file_id: int, supplier_ids: Sequence[int] | None = None
) -> EvidenceFile | None:
    """An evidence file of one action's update; limited to these suppliers' if given."""
    query = (
        select(EvidenceFile)
        .join(ActionUpdate, ActionUpdate.id == EvidenceFile.update_id)
        .join(CorrectiveAction, CorrectiveAction.id == ActionUpdate.action_id)
        .where(EvidenceFile.id == file_id, CorrectiveAction.id == action_id)
    )
    if supplier_ids is not None:
        query = query.where(of_suppliers(CorrectiveAction.supplier_id, supplier_ids))
    return db.session.scalar(query)


def history(action: CorrectiveAction) -> list[ActionUpdate | ActionEvent]:
    """Updates and events of an action, oldest first."""
    return sorted([*action.updates, *action.events], key=lambda item: item.created_at)


def action_with_history(
    action_id: int, supplier_ids: Sequence[int] | None = None
) -> CorrectiveAction | None:
    """One action with its updates, events and their authors; limited to these suppliers'
    if given."""
    query = (
        select(CorrectiveAction)
        .options(
            joinedload(CorrectiveAction.supplier),
            joinedload(CorrectiveAction.finding),
            selectinload(CorrectiveAction.updates).joinedload(ActionUpdate.author),
            selectinload(CorrectiveAction.updates).selectinload(ActionUpdate.evidence),
            selectinload(CorrectiveAction.events).joinedload(ActionEvent.actor),
        )
        .where(CorrectiveAction.id == action_id)
    )
    if supplier_ids is not None:
        query = query.where(of_suppliers(CorrectiveAction.supplier_id, supplier_ids))
    return db.session.scalar(query)


def buyer_actions(show: str = "", today: date | None = None) -> list[CorrectiveAction]:
    """All actions for the buyer's list, overdue first then soonest due, in one statement."""
    today = today or date.today()
    query = select(CorrectiveAction).options(joinedload(CorrectiveAction.supplier))
    if show == "open":
        query = query.where(CorrectiveAction.status != ActionStatus.CLOSED)
    elif show == "overdue":
        query = query.where(CorrectiveAction.overdue_clause(today))
    elif show == "ready":
        query = query.where(CorrectiveAction.status == ActionStatus.READY_FOR_VERIFICATION)
    closed_last = CorrectiveAction.status == ActionStatus.CLOSED
    return list(
        db.session.scalars(
            query.order_by(closed_last, CorrectiveAction.due_date, CorrectiveAction.id)
        )
    )


def supplier_open_actions(supplier_ids: Sequence[int]) -> list[CorrectiveAction]:
    """These suppliers' actions that are not closed, soonest deadline first."""
    return list(
        db.session.scalars(
            select(CorrectiveAction)
            .options(joinedload(CorrectiveAction.supplier))
            .where(
                of_suppliers(CorrectiveAction.supplier_id, supplier_ids),
                CorrectiveAction.status != ActionStatus.CLOSED,
            )
            .order_by(CorrectiveAction.due_date, CorrectiveAction.id)
        )
    )


def open_action_count(supplier_ids: Sequence[int]) -> int:
    """How many of these suppliers' actions are not closed."""
    return db.session.scalar(
        select(func.count(CorrectiveAction.id)).where(
            of_suppliers(CorrectiveAction.supplier_id, supplier_ids),
            CorrectiveAction.status != ActionStatus.CLOSED,
        )
    )


def overdue_counts(supplier_ids: Sequence[int], today: date | None = None) -> dict[int, int]:
    """Overdue actions per supplier, in one statement (suppliers with none are left out)."""
    rows = db.session.execute(
        select(CorrectiveAction.supplier_id, func.count(CorrectiveAction.id))
        .where(
            of_suppliers(CorrectiveAction.supplier_id, supplier_ids),
            CorrectiveAction.overdue_clause(today),
        )
        .group_by(CorrectiveAction.supplier_id)
    )
    return {supplier_id: count for supplier_id, count in rows}


def actions_for_assessment(assessment_id: int) -> list[CorrectiveAction]:
    """The actions raised on an assessment's findings, in one statement."""
    return list(
        db.session.scalars(
            select(CorrectiveAction)
            .join(Finding, Finding.id == CorrectiveAction.finding_id)
            .where(Finding.assessment_id == assessment_id)
            .order_by(CorrectiveAction.due_date, CorrectiveAction.id)
        )
    )


def reopen_reason(action: CorrectiveAction) -> str | None:
    """While a reopened action waits for the supplier: the buyer's reason for reopening it."""
    if action.status not in (ActionStatus.REOPENED, ActionStatus.IN_PROGRESS):
        return None
    reopenings = [
        event
        for event in action.events
        if event.kind == "status" and event.to_status == ActionStatus.REOPENED
    ]
    if not reopenings:
        return None
    return max(reopenings, key=lambda event: (event.created_at, event.id)).comment or None
