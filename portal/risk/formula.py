"""The risk formula: from plain inputs to a score of 0-100, a tier and the why of each point.

The formula is documented with a worked example in docs/risk.md; keep the two in step.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal.risk.models import MAX_RATING, Tier

COUNTRY_MAX = 30  # points for a country rated 5 of 5
CATEGORY_MAX = 20  # points for a category rated 5 of 5
ASSESSMENT_MAX = 30  # points for an accepted assessment that scored 0 %
NO_ASSESSMENT_SHARE = 0.6  # share of ASSESSMENT_MAX counted until one is accepted
RED_FLAG_POINTS = {"critical": 15, "high": 8, "medium": 4, "low": 2}
RED_FLAGS_MAX = 20
OVERDUE_ACTION_POINTS = 5
OVERDUE_ACTIONS_MAX = 15

DEFAULT_TIER_HIGH = 60
DEFAULT_TIER_MEDIUM = 35
DEFAULT_REASSESS_MONTHS = {Tier.HIGH: 6, Tier.MEDIUM: 12, Tier.LOW: 24}


@dataclass(frozen=True)
class RiskInputs:
    """Everything the formula needs about one supplier, as plain values."""

    country_rating: int  # 1 (low risk) to 5 (very high risk)
    category_rating: int
    assessment_score: float | None = None  # overall % of the latest accepted assessment
    red_flags: Mapping[str, int] = field(default_factory=dict)  # severity -> count
    pending_red_flags: int = 0  # of those, raised by a submission still under review
    overdue_actions: int = 0
    # What was rated, only to explain the points.
    country: str = ""
    category: str = ""
    country_is_default: bool = False
    category_is_default: bool = False


@dataclass(frozen=True)
class Contribution:
    """One part of the score: `name` is country, category, assessment, red_flags or actions."""

    name: str
    points: float
    max_points: float
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What this part is, in the current language."""
        from portal.risk.texts import contribution_label

        return contribution_label(self.name)

    @property
    def explanation(self) -> str:
        """Why it counts these points, in the current language."""
        from portal.risk.texts import explain

        return explain(self.name, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "max": self.max_points,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Contribution:
        return cls(data["name"], data["points"], data["max"], data.get("params", {}))


@dataclass(frozen=True)
class RiskScore:
    total: float  # 0-100
    tier: Tier
    contributions: tuple[Contribution, ...]


def tier_for(
    total: float, *, high: float = DEFAULT_TIER_HIGH, medium: float = DEFAULT_TIER_MEDIUM
) -> Tier:
    """High from `high` points up, medium from `medium` up, low below."""
    if total >= high:
        return Tier.HIGH
    if total >= medium:
        return Tier.MEDIUM
    return Tier.LOW


def _share(rating: int) -> float:
    return min(max(rating, 0), MAX_RATING) / MAX_RATING


def risk_score(
    inputs: RiskInputs, *, high: float = DEFAULT_TIER_HIGH, medium: float = DEFAULT_TIER_MEDIUM
) -> RiskScore:
    """Add up the five contributions (docs/risk.md), clamp to 0-100 and find the tier."""
    country = Contribution(
        "country",
        round(COUNTRY_MAX * _share(inputs.country_rating), 1),
        COUNTRY_MAX,
        {
            "code": inputs.country,
            "rating": inputs.country_rating,
            "default": inputs.country_is_default,
        },
    )
    category = Contribution(
        "category",
        round(CATEGORY_MAX * _share(inputs.category_rating), 1),
        CATEGORY_MAX,
        {
            "category": inputs.category,
            "rating": inputs.category_rating,
            "default": inputs.category_is_default,
        },
    )
    if inputs.assessment_score is None:
        performance = ASSESSMENT_MAX * NO_ASSESSMENT_SHARE
    else:
        percent = min(max(inputs.assessment_score, 0.0), 100.0)
        performance = ASSESSMENT_MAX * (100.0 - percent) / 100.0
    assessment = Contribution(
        "assessment",
        round(performance, 1),
        ASSESSMENT_MAX,
        {"percent": inputs.assessment_score, "share": NO_ASSESSMENT_SHARE},
    )
    flags = {s: n for s, n in inputs.red_flags.items() if n > 0 and s in RED_FLAG_POINTS}
    flag_points = sum(RED_FLAG_POINTS[s] * n for s, n in flags.items())
    red_flags = Contribution(
        "red_flags",
        float(min(flag_points, RED_FLAGS_MAX)),
        RED_FLAGS_MAX,
        {
            "counts": flags,
            "capped": flag_points > RED_FLAGS_MAX,
            "pending": inputs.pending_red_flags,
        },
    )
    overdue = max(inputs.overdue_actions, 0)
    action_points = overdue * OVERDUE_ACTION_POINTS
    actions = Contribution(
        "actions",
        float(min(action_points, OVERDUE_ACTIONS_MAX)),
        OVERDUE_ACTIONS_MAX,
        {"overdue": overdue, "capped": action_points > OVERDUE_ACTIONS_MAX},
    )
    parts = (country, category, assessment, red_flags, actions)
    total = round(min(max(sum(p.points for p in parts), 0.0), 100.0), 1)
    return RiskScore(total, tier_for(total, high=high, medium=medium), parts)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_assessment_date(
    tier: Tier,
    last_accepted: date | datetime | None,
    months: Mapping[Tier, int] = DEFAULT_REASSESS_MONTHS,
) -> date | None:
    """When the supplier is due again: last acceptance + the tier's interval; None: due now."""
    if last_accepted is None:
        return None
    day = last_accepted.date() if isinstance(last_accepted, datetime) else last_accepted
    return add_months(day, months[Tier(tier)])
