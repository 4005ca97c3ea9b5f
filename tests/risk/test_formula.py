"""The risk formula: each contribution, clamping, tiers at their limits, next assessment dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.risk.formula import (
    RiskInputs,
    add_months,
    next_assessment_date,
    risk_score,
    tier_for,
)
from portal.risk.models import Tier


def _points(inputs: RiskInputs) -> dict[str, float]:
    return {c.name: c.points for c in risk_score(inputs).contributions}


@pytest.mark.parametrize(("rating", "country", "category"), [(1, 6, 4), (3, 18, 12), (5, 30, 20)])
def test_inherent_risk_counts_rating_fifths_of_30_and_20_points(rating, country, category):
    points = _points(RiskInputs(country_rating=rating, category_rating=rating))

    assert (points["country"], points["category"]) == (country, category)


@pytest.mark.parametrize(("percent", "expected"), [(100, 0), (80, 6), (50, 15), (0, 30)])
def test_the_latest_accepted_assessment_counts_30_points_times_the_missing_share(percent, expected):
    inputs = RiskInputs(country_rating=1, category_rating=1, assessment_score=percent)

    assert _points(inputs)["assessment"] == expected


def test_without_an_accepted_assessment_60_percent_of_its_points_count():
    inputs = RiskInputs(country_rating=1, category_rating=1, assessment_score=None)

    [assessment] = [c for c in risk_score(inputs).contributions if c.name == "assessment"]
    assert assessment.points == 18
    assert assessment.params["percent"] is None


def test_red_flags_count_by_severity_up_to_20_points():
    def flags(**counts):
        return _points(RiskInputs(1, 1, 100, red_flags=counts))["red_flags"]

    assert flags() == 0
    assert flags(low=1) == 2
    assert flags(medium=1) == 4
    assert flags(high=1) == 8
    assert flags(critical=1) == 15
    assert flags(high=1, medium=1, low=1) == 14
    assert flags(critical=2) == 20  # 30, capped
    assert flags(unknown=3, low=0) == 0


def test_overdue_actions_count_5_points_each_up_to_15():
    assert _points(RiskInputs(1, 1, 100, overdue_actions=0))["actions"] == 0
    assert _points(RiskInputs(1, 1, 100, overdue_actions=2))["actions"] == 10
    assert _points(RiskInputs(1, 1, 100, overdue_actions=9))["actions"] == 15


def test_the_total_adds_the_contributions_and_explains_each():
    score = risk_score(
        RiskInputs(
            country_rating=4,
            category_rating=4,
            assessment_score=72.5,
            red_flags={"high": 1},
            country="VN",
            category="Textiles",
        )
    )

    assert [(c.name, c.points, c.max_points) for c in score.contributions] == [
        ("country", 24, 30),
        ("category", 16, 20),
        ("assessment", 8.2, 30),
        ("red_flags", 8, 20),
        ("actions", 0, 15),
    ]
    assert score.total == 56.2
    assert score.tier == Tier.MEDIUM


def test_the_total_is_clamped_to_100():
    worst = RiskInputs(5, 5, 0, red_flags={"critical": 5}, overdue_actions=10)

    assert sum(c.points for c in risk_score(worst).contributions) == 115
    assert risk_score(worst).total == 100
    assert risk_score(worst).tier == Tier.HIGH


def test_the_total_never_goes_below_0():
    assert risk_score(RiskInputs(0, 0, 100)).total == 0
    assert risk_score(RiskInputs(0, 0, 100)).tier == Tier.LOW


@pytest.mark.parametrize(
    ("total", "tier"),
    [(100, Tier.HIGH), (60, Tier.HIGH), (59.9, Tier.MEDIUM), (35, Tier.MEDIUM), (34.9, Tier.LOW)],
)
def test_tiers_start_exactly_at_their_limits(total, tier):
    assert tier_for(total) == tier


def test_tier_limits_can_be_configured():
    assert tier_for(50, high=50, medium=20) == Tier.HIGH
    assert tier_for(20, high=50, medium=20) == Tier.MEDIUM
    assert risk_score(RiskInputs(3, 3, 50), high=40, medium=10).tier == Tier.HIGH  # 18+12+15


@pytest.mark.parametrize(
    ("tier", "due"),
    [
        (Tier.HIGH, date(2027, 5, 10)),
        (Tier.MEDIUM, date(2027, 11, 10)),
        (Tier.LOW, date(2028, 11, 10)),
    ],
)
def test_the_next_assessment_follows_the_last_acceptance_by_the_tiers_interval(tier, due):
    accepted = datetime(2026, 11, 10, 15, 30, tzinfo=UTC)

    assert next_assessment_date(tier, accepted) == due


def test_the_interval_can_be_configured_and_never_accepted_means_due_now():
    months = {Tier.HIGH: 3, Tier.MEDIUM: 9, Tier.LOW: 18}

    assert next_assessment_date(Tier.HIGH, date(2026, 1, 15), months) == date(2026, 4, 15)
    assert next_assessment_date(Tier.LOW, None, months) is None


def test_months_are_added_to_the_end_of_shorter_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 1), 12) == date(2027, 12, 1)


def test_the_worked_example_of_docs_risk_md():
    accepted = date(2027, 3, 10)
    example = RiskInputs(4, 4, 72, red_flags={"high": 1}, country="VN", category="Textiles")

    score = risk_score(example)
    assert [c.points for c in score.contributions] == [24, 16, 8.4, 8, 0]
    assert (score.total, score.tier) == (56.4, Tier.MEDIUM)
    assert next_assessment_date(score.tier, accepted) == date(2028, 3, 10)
    assert risk_score(RiskInputs(4, 4, None)).total == 58
    worse = risk_score(RiskInputs(4, 4, 72, red_flags={"critical": 1}))
    assert (worse.total, worse.tier) == (63.4, Tier.HIGH)
    assert next_assessment_date(worse.tier, accepted) == date(2027, 9, 10)
