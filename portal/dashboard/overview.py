"""Keeping each supplier's overview row (latest assessment, next due date) up to date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from portal.assessments.models import OPEN_STATUSES, Assessment
from portal.dashboard.models import SupplierOverview
from portal.db import utcnow
from portal.extensions import db
from portal.risk.formula import next_assessment_date
from portal.risk.models import Tier


@dataclass(frozen=True)
class Standing:
    """What risk counts for a supplier (docs/risk.md): the latest accepted assessment's
    score, its red flags plus those of submissions under review, and how many are pending."""

    latest_score: float | None = None
    accepted_at: datetime | None = None
    red_flags: int = 0
    pending_red_flags: int = 0


def refresh_overviews(
    supplier_ids: Sequence[int],
    tiers: Mapping[int, Tier],
    months: Mapping[Tier, int],
    standings: Mapping[int, Standing],
    organisations: Mapping[int, int],
) -> None:
    """Rewrite the overview rows of these suppliers (organisation of each in
    `organisations`) in a fixed number of statements."""
    if not supplier_ids:
        return
    assessments = db.session.execute(
        select(Assessment.id, Assessment.supplier_id, Assessment.status, Assessment.due_date)
        .where(Assessment.supplier_id.in_(supplier_ids))
        .order_by(Assessment.supplier_id, Assessment.created_at, Assessment.id)
    ).all()
    latest = {row.supplier_id: row for row in assessments}  # ordered: the last one wins
    db.session.execute(
        delete(SupplierOverview).where(SupplierOverview.supplier_id.in_(supplier_ids))
    )
    now = utcnow()
    for supplier_id in supplier_ids:
        row = latest.get(supplier_id)
        standing = standings.get(supplier_id, Standing())
        is_open = row is not None and row.status in OPEN_STATUSES
        tier = tiers.get(supplier_id)
        next_due = (
            row.due_date
            if is_open
            else (next_assessment_date(tier, standing.accepted_at, months) if tier else None)
        )
        db.session.add(
            SupplierOverview(
                organisation_id=organisations[supplier_id],
                supplier_id=supplier_id,
                assessment_id=row.id if row else None,
                status=row.status if row else None,
                due_date=row.due_date if row else None,
                latest_score=standing.latest_score,
                open_red_flags=standing.red_flags,
                pending_red_flags=standing.pending_red_flags,
                next_due=next_due,
                updated_at=now,
            )
        )
    db.session.flush()
