"""Risk changes flagged to buyers: the waiting list, its count, acknowledging them."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.risk.models import RiskChange


def unacknowledged_changes() -> list[RiskChange]:
    """Changes no buyer has acknowledged yet, newest first, with their suppliers."""
    return list(
        db.session.scalars(
            select(RiskChange)
            .options(joinedload(RiskChange.supplier))
            .where(RiskChange.acknowledged_at.is_(None))
            .order_by(RiskChange.created_at.desc(), RiskChange.id.desc())
        )
    )


def unacknowledged_count() -> int:
    """How many changes wait for a buyer (one COUNT)."""
    query = select(func.count(RiskChange.id)).where(RiskChange.acknowledged_at.is_(None))
    return db.session.scalar(query) or 0


def _audit_acknowledged(change_id: int, supplier_id: int, by: User) -> None:
    record(
        "risk_change_acknowledged",
        object_type="risk_change",
        object_id=change_id,
        by=by,
        supplier_id=supplier_id,
    )


def acknowledge(change: RiskChange, *, by: User) -> bool:
    """Mark a change as seen; False when someone already had (nothing changes then)."""
    if change.acknowledged_at is not None:
        return False
    change.acknowledged_at, change.acknowledged_by_id = utcnow(), by.id
    _audit_acknowledged(change.id, change.supplier_id, by)
    return True


def acknowledge_all(up_to_id: int, *, by: User) -> int:
    """Acknowledge every waiting change up to `up_to_id` (those the buyer saw); how many."""
    pending = db.session.execute(
        select(RiskChange.id, RiskChange.supplier_id).where(
            RiskChange.acknowledged_at.is_(None), RiskChange.id <= up_to_id
        )
    ).all()
    if not pending:
        return 0
    db.session.execute(
        update(RiskChange)
        .where(RiskChange.acknowledged_at.is_(None), RiskChange.id <= up_to_id)
        .values(acknowledged_at=utcnow(), acknowledged_by_id=by.id)
        .execution_options(synchronize_session=False)
    )
    for change_id, supplier_id in pending:
        _audit_acknowledged(change_id, supplier_id, by)
    return len(pending)
