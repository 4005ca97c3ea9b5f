"""Appending to the audit log (rows are never updated or deleted)."""

from __future__ import annotations

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db


def record(
    action: str,
    *,
    object_type: str,
    object_id: int,
    by: User | None,
    supplier_id: int | None = None,
    **detail: object,
) -> AuditEntry:
    """Append one audit row describing `action` on an object, by a user (None: the system)."""
    entry = AuditEntry(
        actor_id=by.id if by is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        supplier_id=supplier_id,
        detail={k: str(v) for k, v in detail.items()},
    )
    db.session.add(entry)
    return entry
