"""Risk test helpers: suppliers with accepted or submitted assessments made directly."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.db import utcnow
from portal.extensions import db
from portal.risk.logic import refresh_supplier_risk
from portal.risk.models import RiskChange, SupplierRisk


@pytest.fixture
def decide(app, make_assessment):
    """Give a supplier a revision scoring `percent` with red flags of the given severities,
    accepted (or only submitted), then refresh its risk as the review would."""

    def make(
        supplier_id: int,
        percent: float | None,
        flags: tuple[str, ...] = (),
        *,
        accepted: bool = True,
        decided_at: datetime | None = None,
    ) -> int:
        assessment_id = make_assessment(supplier_id)
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            assessment.status = (
                AssessmentStatus.ACCEPTED if accepted else AssessmentStatus.SUBMITTED
            )
            assessment.submitted_at = utcnow()
            assessment.revisions.append(
                Revision(
                    number=1,
                    answers={},
                    score={"overall": percent, "sections": []},
                    red_flags=[
                        {"question": "q", "rule": 0, "severity": s, "answer": "no"} for s in flags
                    ],
                    decision="accepted" if accepted else None,
                    decided_at=(decided_at or utcnow()) if accepted else None,
                )
            )
            db.session.flush()
            refresh_supplier_risk(assessment.supplier, by=None)
            db.session.commit()
        return assessment_id

    return make


def stored_risk(app, supplier_id: int) -> SupplierRisk:
    with app.app_context():
        risk = db.session.get(SupplierRisk, supplier_id)
        db.session.expunge_all()
        return risk


def risk_changes(app, supplier_id: int | None = None) -> list[RiskChange]:
    with app.app_context():
        query = select(RiskChange).order_by(RiskChange.id)
        if supplier_id is not None:
            query = query.where(RiskChange.supplier_id == supplier_id)
        changes = list(db.session.scalars(query))
        db.session.expunge_all()
        return changes
