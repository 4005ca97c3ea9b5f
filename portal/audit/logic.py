"""Appending to the audit log (rows are never updated or deleted)."""

from __future__ import annotations

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from portal.organisations.scoping import scoped_organisation
from portal.suppliers.models import Supplier


def record(
    action: str,
    *,
    object_type: str,
    object_id: int,
    by: User | None,
    supplier_id: int | None = None,
    organisation_id: int | None = None,
    **detail: object,
) -> AuditEntry:
    """Append one audit row describing `action` on an object, by a user (None: the system).

    The row belongs to `organisation_id` when the caller knows it (no query), else to the
    supplier's organisation, else to the acting buyer's.
    """
    entry = AuditEntry(
        organisation_id=organisation_id or _organisation_of(supplier_id, by),
        actor_id=by.id if by is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        supplier_id=supplier_id,
        detail={k: str(v) for k, v in detail.items()},
    )
    db.session.add(entry)
    return entry


def _organisation_of(supplier_id: int | None, by: User | None) -> int | None:
    if supplier_id is not None:
        supplier = db.session.get(Supplier, supplier_id)
        if supplier is not None:
            return supplier.organisation_id
    if by is not None and by.organisation_id is not None:
        return by.organisation_id
    return scoped_organisation(db.session)
