"""What the buyer's one-page summary of a supplier shows: its tier and risk score with
each contribution, its score across assessments, and its open and overdue actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.extensions import db
from portal.questionnaires.models import preload_definitions
from portal.reports.feedback import ActionLine, action_line
from portal.risk.category_names import category_label
from portal.risk.logic import RiskSummary, current_risk_summary
from portal.suppliers.logic import country_name
from portal.suppliers.models import Supplier

MAX_ACTIONS = 8  # more would not fit on one page; the rest are counted
MAX_HISTORY = 6


@dataclass(frozen=True)
class ScorePoint:
    day: date
    questionnaire: str
    version: int
    overall: float | None
    red_flags: int


@dataclass(frozen=True)
class SupplierSummary:
    supplier_name: str
    country: str
    category: str
    risk: RiskSummary
    history: tuple[ScorePoint, ...]  # oldest first
    actions: tuple[ActionLine, ...]  # overdue first, then by due date
    open_actions: int
    overdue_actions: int

    @property
    def more_actions(self) -> int:
        return self.open_actions - len(self.actions)


def score_history(supplier: Supplier, locale: str) -> tuple[ScorePoint, ...]:
    """Every accepted revision of the supplier's assessments, the latest MAX_HISTORY."""
    rows = db.session.execute(
        select(Revision, Assessment)
        .join(Assessment, Revision.assessment_id == Assessment.id)
        .options(joinedload(Assessment.questionnaire))
        .where(
            Assessment.supplier_id == supplier.id,
            Assessment.status == AssessmentStatus.ACCEPTED,
            Revision.decision == AssessmentStatus.ACCEPTED,
        )
        .order_by(Revision.decided_at, Revision.id)
    ).all()
    preload_definitions(a.questionnaire for _r, a in rows)
    points = [
        ScorePoint(
            day=revision.decided_at.date(),
            questionnaire=assessment.questionnaire.title_in(locale),
            version=assessment.questionnaire.version,
            overall=(revision.score or {}).get("overall"),
            red_flags=len(revision.red_flags or []),
        )
        for revision, assessment in rows
    ]
    return tuple(points[-MAX_HISTORY:])


def open_actions(supplier: Supplier, today: date) -> list[CorrectiveAction]:
    return list(
        db.session.scalars(
            select(CorrectiveAction)
            .options(joinedload(CorrectiveAction.finding))
            .where(
                CorrectiveAction.supplier_id == supplier.id,
                CorrectiveAction.status != ActionStatus.CLOSED,
            )
            .order_by(CorrectiveAction.due_date, CorrectiveAction.id)
        )
    )


def summary_content(supplier: Supplier, locale: str, today: date | None = None):
    today = today or date.today()
    actions = open_actions(supplier, today)
    lines = sorted(
        (action_line(a, a.finding.title, today) for a in actions),
        key=lambda line: (not line.overdue, line.due_date),
    )
    return SupplierSummary(
        supplier_name=supplier.name,
        country=country_name(supplier.country, locale),
        category=category_label(supplier.category, locale),
        risk=current_risk_summary(supplier),
        history=score_history(supplier, locale),
        actions=tuple(lines[:MAX_ACTIONS]),
        open_actions=len(lines),
        overdue_actions=sum(1 for line in lines if line.overdue),
    )
