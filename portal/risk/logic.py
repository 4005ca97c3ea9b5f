"""Each supplier's risk: gather its inputs, score them, store the result, flag changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select

from portal.actions.queries import (
    overdue_counts,
)
from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.audit.logic import record
from portal.auth.models import User
from portal.dashboard.overview import Standing, refresh_overviews
from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.risk.data import DEFAULT_KEY
from portal.risk.formula import (
    Contribution,
    RiskInputs,
    RiskScore,
    next_assessment_date,
    risk_score,
)
from portal.risk.models import RatingKind, RatingOverride, RiskChange, SupplierRisk, Tier
from portal.risk.ratings import RatingTable, rating_table, set_rating
from portal.suppliers.models import Supplier

CHANGE_POINTS = 5  # a move of at least this many points is flagged, as is any tier change
CHUNK = 500  # suppliers per statement when refreshing many

SupplierRow = tuple[int, str, str, int]  # id, country, category, organisation


UNDER_REVIEW = (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


@dataclass
class _Facts:
    """What the supplier's assessments say (docs/risk.md, "What counts"): the latest accepted
    assessment's score and red flags, and the red flags of submissions under review."""

    accepted_at: datetime | None = None
    accepted_score: float | None = None
    accepted_flags: list = field(default_factory=list)
    pending_flags: list = field(default_factory=list)
    overdue_actions: int = 0

    @property
    def red_flags(self) -> list:
        """The accepted flags, plus each pending flag the accepted assessment did not raise."""
        counted = Counter(_flag_key(flag) for flag in self.accepted_flags)
        extra = Counter(_flag_key(flag) for flag in self.pending_flags) - counted
        return [
            *self.accepted_flags,
            *(dict(zip(_FLAG_FIELDS, key, strict=True)) for key in extra.elements()),
        ]

    @property
    def new_pending_flags(self) -> int:
        """How many of the counted flags come from a submission still under review."""
        return len(self.red_flags) - len(self.accepted_flags)


_FLAG_FIELDS = ("questionnaire", "question", "rule", "severity")


def _flag_key(flag: dict) -> tuple:
    return tuple(flag.get(name) for name in _FLAG_FIELDS)


def _facts(supplier_ids: Sequence[int]) -> dict[int, _Facts]:
    """Two statements: the last revision of every accepted assessment or submission under
    review, and the count of overdue corrective actions."""
    last_number = (
        select(func.max(Revision.number))
        .where(Revision.assessment_id == Assessment.id)
        .correlate(Assessment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Assessment.supplier_id,
            Assessment.status,
            QuestionnaireVersion.key,
            Revision.decided_at,
            Revision.score,
            Revision.red_flags,
        )
        .join(Revision, Revision.assessment_id == Assessment.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_id)
        .where(
            Assessment.supplier_id.in_(supplier_ids),
            Assessment.status.in_([*UNDER_REVIEW, AssessmentStatus.ACCEPTED]),
            Revision.number == last_number,
        )
        .order_by(Assessment.id)
    )
    facts: dict[int, _Facts] = {}
    for supplier_id, status, questionnaire, decided_at, score, flags in rows:
        known = facts.setdefault(supplier_id, _Facts())
        flags = [{**flag, "questionnaire": questionnaire} for flag in flags or []]
        if status in UNDER_REVIEW:
            known.pending_flags.extend(flags)
        elif decided_at is not None and (
            known.accepted_at is None or decided_at >= known.accepted_at
        ):
            known.accepted_at = decided_at
            known.accepted_score = (score or {}).get("overall")
            known.accepted_flags = flags
    for supplier_id, count in overdue_counts(supplier_ids).items():
        facts.setdefault(supplier_id, _Facts()).overdue_actions = count
    return facts


def _inputs(row: SupplierRow, facts: _Facts, table: RatingTable) -> RiskInputs:
    _id, country, category, _organisation = row
    rated_country, rated_category = table.country(country), table.category(category)
    severities: dict[str, int] = {}
    for flag in facts.red_flags:
        severity = str(flag.get("severity", ""))
        severities[severity] = severities.get(severity, 0) + 1
    return RiskInputs(
        country_rating=rated_country.rating,
        category_rating=rated_category.rating,
        assessment_score=facts.accepted_score,
        red_flags=severities,
        pending_red_flags=facts.new_pending_flags,
        overdue_actions=facts.overdue_actions,
        country=country,
        category=category,
        country_is_default=rated_country.is_default,
        category_is_default=rated_category.is_default,
    )


def _score(inputs: RiskInputs) -> RiskScore:
    config = current_app.config
    return risk_score(inputs, high=config["RISK_TIER_HIGH"], medium=config["RISK_TIER_MEDIUM"])


def reassess_months() -> dict[Tier, int]:
    """The configured reassessment interval of each tier, in months."""
    config = current_app.config
    return {
        Tier.HIGH: config["REASSESS_MONTHS_HIGH"],
        Tier.MEDIUM: config["REASSESS_MONTHS_MEDIUM"],
        Tier.LOW: config["REASSESS_MONTHS_LOW"],
    }


def _reasons(old: list, new: list) -> list[dict]:
    before = {c["name"]: c["points"] for c in old}
    return [
        {
            "name": c["name"],
            "old": before.get(c["name"], 0),
            "new": c["points"],
            "params": c["params"],
        }
        for c in new
        if before.get(c["name"], 0) != c["points"]
    ]


def _store(
    row: SupplierRow, current: SupplierRisk | None, score: RiskScore, by: User | None
) -> RiskChange | None:
    supplier_id, organisation_id = row[0], row[3]
    contributions = [c.to_dict() for c in score.contributions]
    now = utcnow()
    if current is None:
        db.session.add(
            SupplierRisk(
                organisation_id=organisation_id,
                supplier_id=supplier_id,
                score=score.total,
                tier=score.tier,
                computed_at=now,
                contributions=contributions,
            )
        )
        return None  # a first score is not a change
    change = None
    moved = round(abs(score.total - current.score), 1) >= CHANGE_POINTS
    if moved or score.tier != current.tier:
        change = RiskChange(
            organisation_id=organisation_id,
            supplier_id=supplier_id,
            old_score=current.score,
            old_tier=current.tier,
            new_score=score.total,
            new_tier=score.tier,
            reasons=_reasons(current.contributions, contributions),
            created_at=now,
        )
        db.session.add(change)
        record(
            "risk_changed",
            object_type="supplier",
            object_id=supplier_id,
            by=by,
            supplier_id=supplier_id,
            organisation_id=organisation_id,
            old_score=current.score,
            new_score=score.total,
            old_tier=current.tier,
            new_tier=score.tier,
        )
    current.score, current.tier = score.total, score.tier
    current.computed_at, current.contributions = now, contributions
    return change


def _chunks(rows: Sequence[SupplierRow]) -> Iterable[Sequence[SupplierRow]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def refresh_suppliers(
    rows: Sequence[SupplierRow], *, by: User | None, table: RatingTable | None = None
) -> list[RiskChange]:
    """Recompute and store the risk of these suppliers, a few statements per 500 of them."""
    tables = {}  # each organisation rates countries and categories its own way

    def table_of(row: SupplierRow) -> RatingTable:
        if table is not None:
            return table
        if row[3] not in tables:
            tables[row[3]] = rating_table(row[3])
        return tables[row[3]]

    changes = []
    for chunk in _chunks(rows):
        ids = [row[0] for row in chunk]
        facts = _facts(ids)
        stored = {
            risk.supplier_id: risk
            for risk in db.session.scalars(
                select(SupplierRisk).where(SupplierRisk.supplier_id.in_(ids))
            )
        }
        tiers, standings = {}, {}
        for row in chunk:
            known = facts.get(row[0], _Facts())
            score = _score(_inputs(row, known, table_of(row)))
            change = _store(row, stored.get(row[0]), score, by)
            tiers[row[0]] = score.tier
            standings[row[0]] = Standing(
                latest_score=known.accepted_score,
                accepted_at=known.accepted_at,
                red_flags=len(known.red_flags),
                pending_red_flags=known.new_pending_flags,
            )
            if change is not None:
                changes.append(change)
        db.session.flush()
        organisations = {row[0]: row[3] for row in chunk}
        refresh_overviews(ids, tiers, reassess_months(), standings, organisations)
    return changes


def refresh_supplier_risk(supplier: Supplier, *, by: User | None) -> RiskChange | None:
    """Recompute one supplier's risk; return the flagged change, if it moved enough."""
    changes = refresh_suppliers([supplier_row(supplier)], by=by)
    return changes[0] if changes else None


def supplier_row(supplier: Supplier) -> SupplierRow:
    return (supplier.id, supplier.country, supplier.category, supplier.organisation_id)


ROW_COLUMNS = (Supplier.id, Supplier.country, Supplier.category, Supplier.organisation_id)


def _all_rows() -> list[SupplierRow]:
    query = select(*ROW_COLUMNS).order_by(Supplier.id)
    return [tuple(row) for row in db.session.execute(query)]


def refresh_all(*, by: User | None = None) -> tuple[int, list[RiskChange]]:
    """Recompute every supplier's risk; return how many and the changes flagged."""
    rows = _all_rows()
    return len(rows), refresh_suppliers(rows, by=by)


def apply_rating(
    kind: str, key: str, rating: object, note: str, *, by: User
) -> tuple[RatingOverride, int, list[RiskChange]]:
    """Store an admin's rating and rescore the suppliers it applies to (how many, changes).

    Raises RatingRefused on bad input, before anything is stored.
    """
    override = set_rating(kind, key, rating, note, by=by)
    table = rating_table(override.organisation_id)
    query = select(*ROW_COLUMNS).where(Supplier.organisation_id == override.organisation_id)
    if override.kind == RatingKind.COUNTRY and override.key != DEFAULT_KEY:
        rows = [tuple(r) for r in db.session.execute(query.where(Supplier.country == override.key))]
    elif override.kind == RatingKind.COUNTRY:
        rows = [tuple(r) for r in db.session.execute(query) if table.country(r[1]).is_default]
    else:
        rows = [
            tuple(r) for r in db.session.execute(query) if table.category(r[2]).key == override.key
        ]
    return override, len(rows), refresh_suppliers(rows, by=by, table=table)


@dataclass(frozen=True)
class RiskSummary:
    """What the supplier page shows about risk."""

    score: float
    tier: Tier
    contributions: tuple[Contribution, ...]
    computed_at: datetime | None  # None: computed for this page only, not stored yet
    last_accepted: datetime | None
    next_due: date | None  # None: due now (never accepted)
    months: int

    @property
    def overdue(self) -> bool:
        return self.next_due is None or self.next_due < date.today()


def risk_summary(supplier: Supplier, *, fresh: bool = False) -> RiskSummary:
    """The supplier's stored risk (computed on the fly when none is stored yet, or when
    `fresh`), and when it is due for reassessment."""
    stored = None if fresh else db.session.get(SupplierRisk, supplier.id)
    if stored is None:
        row = supplier_row(supplier)
        facts = _facts([supplier.id]).get(supplier.id, _Facts())
        score = _score(_inputs(row, facts, rating_table(supplier.organisation_id)))
        tier, total, parts, computed_at = score.tier, score.total, score.contributions, None
        last_accepted = facts.accepted_at
    else:
        tier, total, computed_at = Tier(stored.tier), stored.score, stored.computed_at
        parts = tuple(Contribution.from_dict(c) for c in stored.contributions)
        last_accepted = db.session.scalar(
            select(func.max(Revision.decided_at))
            .join(Assessment, Revision.assessment_id == Assessment.id)
            .where(
                Assessment.supplier_id == supplier.id,
                Assessment.status == AssessmentStatus.ACCEPTED,
                Revision.decision == AssessmentStatus.ACCEPTED,
            )
        )
    months = reassess_months()
    return RiskSummary(
        score=total,
        tier=tier,
        contributions=parts,
        computed_at=computed_at,
        last_accepted=last_accepted,
        next_due=next_assessment_date(tier, last_accepted, months),
        months=months[tier],
    )


def current_risk_summary(supplier: Supplier) -> RiskSummary:
    """`risk_summary`, computed afresh when actions have become overdue since the stored
    score was computed (overdue is derived from the date, so time alone changes it). The
    fresh score is shown, not stored: pages and reports read, the next refresh stores."""
    stored = risk_summary(supplier)
    counted = next((c for c in stored.contributions if c.name == "actions"), None)
    overdue = overdue_counts([supplier.id]).get(supplier.id, 0)
    if counted is not None and counted.params.get("overdue") == overdue:
        return stored
    return risk_summary(supplier, fresh=True)
