"""Keeping risk and the dashboard current: one refresh per unit of work, just before it commits.

Domain functions change assessments, actions and suppliers without knowing that risk or the
dashboard exist. A session hook notes which suppliers a unit of work touched (a request, a
CLI command, a job) and refreshes each of them once, in one batch, before the commit.
"""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from portal.actions.models import CorrectiveAction
from portal.assessments.models import Assessment
from portal.suppliers.models import Supplier

TOUCHED_KEY = "risk_touched_suppliers"

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
        if names and _changed(obj, names):
            touched.add(_supplier_id(obj))
    touched.discard(None)


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
    if not touched:
        return
    from portal.risk.logic import refresh_suppliers  # risk reads assessments and actions

    rows = session.execute(
        select(Supplier.id, Supplier.country, Supplier.category, Supplier.organisation_id)
        .where(Supplier.id.in_(sorted(touched)))  # suppliers rolled back to a savepoint drop out
        .order_by(Supplier.id)
    )
    refresh_suppliers([tuple(row) for row in rows], by=_acting_user())
    session.info.pop(TOUCHED_KEY, None)  # the refresh itself touches nothing watched


def _forget_touched(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(TOUCHED_KEY, None)


def keep_risk_current(session) -> None:
    """Install the hooks on `session` (a session, a scoped session or a session class), once."""
    if event.contains(session, "after_flush", _note_touched):
        return
    event.listen(session, "after_flush", _note_touched)
    event.listen(session, "before_commit", _refresh_touched)
    event.listen(session, "after_soft_rollback", _forget_touched)
