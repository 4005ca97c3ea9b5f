"""Keeping risk and the dashboard current: one refresh per unit of work, just before it commits.

Domain functions change assessments, actions and suppliers without knowing that risk or the
dashboard exist. A session hook notes which suppliers a unit of work touched (a request, a
CLI command, a job) and refreshes each of them once, in one batch, before the commit.

A supplier's first save moves its assessment from invited to in progress: risk reads
neither status (docs/risk.md), so that move only sets the status in the dashboard's row,
in one statement, instead of a refresh of about ten on the busiest path there is.
"""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from portal.actions.models import CorrectiveAction
from portal.assessments.models import Assessment, AssessmentStatus
from portal.dashboard.models import SupplierOverview
from portal.db import utcnow
from portal.organisations.scoping import scope_to, scoped_organisation
from portal.suppliers.models import Supplier

TOUCHED_KEY = "risk_touched_suppliers"
MOVED_KEY = "overview_status_moves"  # assessment id -> supplier id

# Status moves that change nothing risk or the dashboard's standing reads: only the status
# the dashboard lists follows them.
_STATUS_ONLY = {(AssessmentStatus.INVITED, AssessmentStatus.IN_PROGRESS)}

# Which changes say something the risk score or the dashboard's overview row reads.
_WATCHED: dict[type, tuple[str, ...]] = {
    Supplier: ("country", "category"),
    Assessment: ("status", "due_date"),
    CorrectiveAction: ("status", "due_date", "closed_at"),
}


def _supplier_id(obj) -> int | None:
    return obj.id if isinstance(obj, Supplier) else obj.supplier_id


def _changed(obj, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_touched(session: Session, _flush_context) -> None:
    touched = session.info.setdefault(TOUCHED_KEY, set())
    for obj in [*session.new, *session.deleted]:
        if type(obj) in _WATCHED:
            touched.add(_supplier_id(obj))
    for obj in session.dirty:
        names = _WATCHED.get(type(obj))
        if not names or not _changed(obj, names):
            continue
        if isinstance(obj, Assessment) and _status_only(obj):
            session.info.setdefault(MOVED_KEY, {})[obj.id] = obj.supplier_id
        else:
            touched.add(_supplier_id(obj))
    touched.discard(None)


def _status_only(assessment: Assessment) -> bool:
    """Whether the flushed change is a status move in `_STATUS_ONLY` and nothing else watched."""
    state = inspect(assessment)
    if state.attrs.due_date.history.has_changes():
        return False
    status = state.attrs.status.history
    return len(status.deleted) == len(status.added) == 1 and (
        (status.deleted[0], status.added[0]) in _STATUS_ONLY
    )


def _set_listed_status(session: Session, moved: dict[int, int]) -> set[int]:
    """Copy each moved assessment's status into its supplier's dashboard row, when that row
    lists it; return the suppliers whose row lists another assessment or is missing (they
    get the full refresh). The status is read in the same statement, so a move rolled back
    to a savepoint is not copied."""
    unlisted = set()
    for assessment_id, supplier_id in sorted(moved.items()):
        result = session.execute(
            update(SupplierOverview)
            .where(
                SupplierOverview.supplier_id == supplier_id,
                SupplierOverview.assessment_id == assessment_id,
            )
            .values(
                status=select(Assessment.status)
                .where(Assessment.id == assessment_id)
                .scalar_subquery(),
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            unlisted.add(supplier_id)
    return unlisted


def _acting_user():
    """The signed-in user of the current request, for the audit trail (None: the system)."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user._get_current_object() if current_user.is_authenticated else None


def _refresh_touched(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the unit of work goes on
    session.flush()  # note what is still pending
    touched = session.info.pop(TOUCHED_KEY, set())
    moved = {
        assessment_id: supplier_id
        for assessment_id, supplier_id in session.info.pop(MOVED_KEY, {}).items()
        if supplier_id not in touched  # the full refresh sets the status too
    }
    # The suppliers touched are known by id: whatever organisation the session is scoped
    # to (a command may have acted for several), their risk is read and written in full.
    scope = scoped_organisation(session)
    scope_to(session, None)
    try:
        if moved:
            touched |= _set_listed_status(session, moved)
        if not touched:
            return
        from portal.risk.logic import refresh_suppliers  # risk reads assessments and actions

        rows = session.execute(
            select(Supplier.id, Supplier.country, Supplier.category, Supplier.organisation_id)
            .where(Supplier.id.in_(sorted(touched)))  # rolled back to a savepoint: dropped
            .order_by(Supplier.id)
        )
        refresh_suppliers([tuple(row) for row in rows], by=_acting_user())
    finally:
        scope_to(session, scope)
    session.info.pop(TOUCHED_KEY, None)  # the refresh itself touches nothing watched
    session.info.pop(MOVED_KEY, None)


def _forget_touched(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(TOUCHED_KEY, None)
        session.info.pop(MOVED_KEY, None)


def keep_risk_current(session) -> None:
    """Install the hooks on `session` (a session, a scoped session or a session class), once."""
    if event.contains(session, "after_flush", _note_touched):
        return
    event.listen(session, "after_flush", _note_touched)
    event.listen(session, "before_commit", _refresh_touched)
    event.listen(session, "after_soft_rollback", _forget_touched)
