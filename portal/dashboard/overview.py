"""Keeping each supplier's overview row (latest assessment, next due date) up to date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import delete, select

from portal.assessments.models import OPEN_STATUSES, Assessment, AssessmentStatus, Revision
from portal.dashboard.models import SupplierOverview
from portal.db import utcnow
from portal.extensions import db
from portal.risk.formula import next_assessment_date
from portal.risk.models import Tier


def refresh_overviews(
    supplier_ids: Sequence[int], tiers: Mapping[int, Tier], months: Mapping[Tier, int]
) -> None:
    """Rewrite the overview rows of these suppliers in a fixed number of statements."""
    if not supplier_ids:
        return
    assessments = db.session.execute(
        select(Assessment.id, Assessment.supplier_id, Assessment.status, Assessment.due_date)
        .where(Assessment.supplier_id.in_(supplier_ids))
        .order_by(Assessment.supplier_id, Assessment.created_at, Assessment.id)
    ).all()
    latest = {row.supplier_id: row for row in assessments}  # ordered: the last one wins
    revisions = db.session.execute(
        select(Revision.assessment_id, Revision.score, Revision.red_flags, Revision.decided_at)
        .where(Revision.assessment_id.in_([row.id for row in assessments]))
        .order_by(Revision.assessment_id, Revision.number)
    ).all()
    last_revision = {row.assessment_id: row for row in revisions}
    accepted_at: dict[int, date] = {}
    for row in assessments:
        revision = last_revision.get(row.id)
        if row.status == AssessmentStatus.ACCEPTED and revision and revision.decided_at:
            known = accepted_at.get(row.supplier_id)
            accepted_at[row.supplier_id] = max(filter(None, [known, revision.decided_at]))
    db.session.execute(
        delete(SupplierOverview).where(SupplierOverview.supplier_id.in_(supplier_ids))
    )
    now = utcnow()
    for supplier_id in supplier_ids:
        row = latest.get(supplier_id)
        revision = last_revision.get(row.id) if row else None
        is_open = row is not None and row.status in OPEN_STATUSES
        tier = tiers.get(supplier_id)
        next_due = (
            row.due_date
            if is_open
            else (
                next_assessment_date(tier, accepted_at.get(supplier_id), months) if tier else None
            )
        )
        db.session.add(
            SupplierOverview(
                supplier_id=supplier_id,
                assessment_id=row.id if row else None,
                status=row.status if row else None,
                due_date=row.due_date if row else None,
                latest_score=(revision.score or {}).get("overall") if revision else None,
                open_red_flags=len(revision.red_flags or []) if revision else 0,
                next_due=next_due,
                updated_at=now,
            )
        )
    db.session.flush()
