"""A supplier contact's "who sees what": each customer, what was shared with it, and whether
it is still offered answers given to others."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.assessments.models import Assessment
from portal.auth.models import User
from portal.extensions import db
from portal.sharing.models import AnswerShare, SharingStop
from portal.suppliers.models import Supplier


@dataclass
class CustomerSharing:
    supplier: Supplier  # the customer's relationship with the company
    customer: str  # the customer's name
    shares: list[tuple[Assessment, AnswerShare]] = field(default_factory=list)
    stopped_at: datetime | None = None


def who_sees(person: User) -> list[CustomerSharing]:
    """Per customer of the person, by customer name; empty when there is one customer only."""
    suppliers = person.suppliers
    if len({s.organisation_id for s in suppliers}) < 2:
        return []
    ids = [s.id for s in suppliers]
    rows = {s.id: CustomerSharing(s, s.organisation.name) for s in suppliers}
    shares = db.session.execute(
        select(Assessment, AnswerShare)
        .join(AnswerShare, AnswerShare.assessment_id == Assessment.id)
        .options(joinedload(Assessment.questionnaire))
        .where(Assessment.supplier_id.in_(ids))
        .order_by(AnswerShare.shared_at.desc())
    )
    for assessment, share in shares:
        rows[assessment.supplier_id].shares.append((assessment, share))
    for supplier_id, stopped_at in db.session.execute(
        select(SharingStop.supplier_id, SharingStop.stopped_at).where(
            SharingStop.supplier_id.in_(ids)
        )
    ):
        rows[supplier_id].stopped_at = stopped_at
    return sorted(rows.values(), key=lambda row: (row.customer.casefold(), row.supplier.name))
