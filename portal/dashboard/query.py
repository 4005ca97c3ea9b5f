"""The dashboard's list and counts, each in one statement whatever the number of suppliers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select

from portal.assessments.models import OPEN_STATUSES, AssessmentStatus
from portal.dashboard.models import SupplierOverview
from portal.extensions import db
from portal.risk.models import SupplierRisk, Tier
from portal.suppliers.models import Supplier

PAGE_SIZE = 50
NO_ASSESSMENT = "none"
OVERDUE = "overdue"
SORTS = {
    "name": Supplier.name,
    "country": Supplier.country,
    "risk": SupplierRisk.score,
    "score": SupplierOverview.latest_score,
    "flags": SupplierOverview.open_red_flags,
    "due": SupplierOverview.next_due,
}
SCORE_BUCKETS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


@dataclass(frozen=True)
class Filters:
    tier: str = ""
    country: str = ""
    category: str = ""
    status: str = ""  # an AssessmentStatus, "none" or "overdue"
    search: str = ""
    sort: str = "risk"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """Read filters from query arguments, ignoring what is not understood."""
        sort = args.get("sort", "risk")
        statuses = {*AssessmentStatus, NO_ASSESSMENT, OVERDUE}
        return cls(
            tier=args.get("tier", "") if args.get("tier") in set(Tier) else "",
            country=args.get("country", "").strip().upper()[:2],
            category=args.get("category", "").strip()[:100],
            status=args.get("status", "") if args.get("status") in statuses else "",
            search=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "risk",
            descending=args.get("order", "desc" if sort in ("risk", "flags") else "asc") == "desc",
            page=max(1, min(args.get("page", 1, type=int) or 1, 10_000)),
        )


def _base() -> Select:
    return (
        select(Supplier.id)
        .outerjoin(SupplierRisk, SupplierRisk.supplier_id == Supplier.id)
        .outerjoin(SupplierOverview, SupplierOverview.supplier_id == Supplier.id)
    )


def _name_contains(term: str):
    if db.engine.dialect.name == "sqlite":  # SQLite's lower() knows only ASCII
        return func.casefold(Supplier.name).contains(term.casefold(), autoescape=True)
    return Supplier.name.icontains(term, autoescape=True)


def _filtered(query: Select, filters: Filters, today: date) -> Select:
    conditions = []
    if filters.tier:
        conditions.append(SupplierRisk.tier == filters.tier)
    if filters.country:
        conditions.append(Supplier.country == filters.country)
    if filters.category:
        conditions.append(func.lower(Supplier.category) == filters.category.lower())
    if filters.status == NO_ASSESSMENT:
        conditions.append(SupplierOverview.status.is_(None))
    elif filters.status == OVERDUE:
        conditions.append(
            and_(SupplierOverview.status.in_(OPEN_STATUSES), SupplierOverview.due_date < today)
        )
    elif filters.status:
        conditions.append(SupplierOverview.status == filters.status)
    if filters.search:
        conditions.append(_name_contains(filters.search))
    return query.where(*conditions) if conditions else query


def matching_supplier_ids(filters: Filters, today: date) -> list[int]:
    """Every supplier the filters select, ignoring sort and paging."""
    return list(db.session.scalars(_filtered(_base(), filters, today)))


@dataclass(frozen=True)
class Page:
    rows: list = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def supplier_page(filters: Filters, today: date) -> Page:
    """One page of suppliers with their tier, scores, status and next due date."""
    total = db.session.scalar(
        _filtered(_base(), filters, today).with_only_columns(func.count(Supplier.id))
    )
    column = SORTS[filters.sort]
    order = column.desc().nulls_last() if filters.descending else column.asc().nulls_last()
    query = _filtered(
        _base().with_only_columns(
            Supplier.id,
            Supplier.name,
            Supplier.country,
            Supplier.category,
            SupplierRisk.tier,
            SupplierRisk.score.label("risk"),
            SupplierOverview.latest_score,
            SupplierOverview.status,
            SupplierOverview.due_date,
            SupplierOverview.next_due,
            SupplierOverview.open_red_flags,
            SupplierOverview.pending_red_flags,
        ),
        filters,
        today,
    )
    page = min(filters.page, max(1, -(-total // PAGE_SIZE)))
    rows = db.session.execute(
        query.order_by(order, Supplier.name, Supplier.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(rows, total, page)


@dataclass(frozen=True)
class Counts:
    by_tier: dict[str, int]
    unrated: int
    overdue: int
    awaiting_review: int
    score_buckets: list[int]
    unscored: int


def counts(today: date) -> Counts:
    """The figures at the top of the dashboard, in one statement."""
    overdue = and_(SupplierOverview.status.in_(OPEN_STATUSES), SupplierOverview.due_date < today)
    score = SupplierOverview.latest_score
    columns = [
        func.count(Supplier.id),
        *(func.count(case((SupplierRisk.tier == tier, 1))) for tier in Tier),
        func.count(case((overdue, 1))),
        func.count(case((SupplierOverview.status == AssessmentStatus.SUBMITTED, 1))),
        *(func.count(case((and_(score >= low, score < high), 1))) for low, high in SCORE_BUCKETS),
        func.count(case((or_(score.is_(None), SupplierOverview.supplier_id.is_(None)), 1))),
    ]
    row = db.session.execute(_base().with_only_columns(*columns)).one()
    total, *rest = row
    tiers = dict(zip([str(t) for t in Tier], rest[: len(Tier)], strict=True))
    overdue_count, awaiting = rest[len(Tier)], rest[len(Tier) + 1]
    buckets = list(rest[len(Tier) + 2 : len(Tier) + 2 + len(SCORE_BUCKETS)])
    return Counts(
        by_tier=tiers,
        unrated=total - sum(tiers.values()),
        overdue=overdue_count,
        awaiting_review=awaiting,
        score_buckets=buckets,
        unscored=rest[-1],
    )


def categories() -> list[str]:
    """Every category in use, for the filter."""
    return list(
        db.session.scalars(select(Supplier.category).distinct().order_by(Supplier.category))
    )
