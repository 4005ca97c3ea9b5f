"""Stored risk, the change flag and its audit row, and the buyers' list of changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.risk.models import Tier
from tests.risk.conftest import risk_changes, stored_risk

# A supplier from make_supplier is in Viet Nam (4 of 5: 24 points) and makes textiles
# (4 of 5: 16 points); with no accepted assessment it starts at 24 + 16 + 18 = 58, medium.


@pytest.fixture
def supplier(make_supplier) -> int:
    return make_supplier()[0]


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def test_a_new_supplier_gets_a_stored_risk_and_no_change(app, supplier):
    risk = stored_risk(app, supplier)

    assert (risk.score, risk.tier) == (58, Tier.MEDIUM)
    assert [c["name"] for c in risk.contributions] == [
        "country",
        "category",
        "assessment",
        "red_flags",
        "actions",
    ]
    assert risk_changes(app) == []


def test_a_move_of_less_than_5_points_in_the_same_tier_is_not_flagged(app, supplier, decide):
    decide(supplier, 50)  # assessment 15 instead of 18: 55

    assert stored_risk(app, supplier).score == 55
    assert risk_changes(app) == []


def test_a_move_of_5_points_or_more_is_flagged_with_its_reasons(app, supplier, decide):
    decide(supplier, 90)  # assessment 3 instead of 18: 43, still medium

    [change] = risk_changes(app, supplier)
    assert (change.old_score, change.new_score) == (58, 43)
    assert (change.old_tier, change.new_tier) == (Tier.MEDIUM, Tier.MEDIUM)
    assert [(r["name"], r["old"], r["new"]) for r in change.reasons] == [("assessment", 18, 3)]
    assert change.acknowledged_at is None


def test_a_tier_change_is_flagged_even_for_a_small_move(app, supplier, decide):
    decide(supplier, 33.4)  # assessment 20: 60, high

    [change] = risk_changes(app, supplier)
    assert (change.old_tier, change.new_tier) == (Tier.MEDIUM, Tier.HIGH)
    assert (change.old_score, change.new_score) == (58, 60)


def test_a_flagged_change_is_audited(app, supplier, decide):
    decide(supplier, 0, ("critical",))  # 24 + 16 + 30 + 15 = 85

    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "risk_changed")
        ).all()
    [entry] = entries
    assert entry.supplier_id == supplier
    assert entry.detail == {
        "old_score": "58.0",
        "new_score": "85.0",
        "old_tier": "medium",
        "new_tier": "high",
    }


def test_red_flags_of_a_submission_waiting_for_review_count(app, supplier, decide):
    decide(supplier, 100)  # 40
    decide(supplier, None, ("high", "low"), accepted=False)  # + 10 red flag points

    risk = stored_risk(app, supplier)
    assert risk.score == 50
    assert {c["name"]: c["points"] for c in risk.contributions}["assessment"] == 0


def test_the_changes_page_says_what_changed_and_why(client, app, supplier, decide, buyer):
    decide(supplier, 33.4)

    page = client.get("/b/risk/changes")

    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "Risk changed: medium → high (score 58 → 60), because Latest assessment +2 points" in (
        text
    )
    assert "The latest accepted assessment scored 33.4%" in text
    assert "Risk changes (1)" in text


def test_the_changes_page_speaks_the_buyers_language(client, app, supplier, decide, buyer):
    decide(supplier, 33.4)

    page = client.get("/b/risk/changes", headers={"Accept-Language": "fr"})

    assert "Le risque a changé" in page.text
    assert "moyen → élevé" in page.text


def test_acknowledging_removes_the_change_from_the_list_but_keeps_it(
    client, app, supplier, decide, buyer
):
    decide(supplier, 33.4)
    [change] = risk_changes(app)

    response = client.post(f"/b/risk/changes/{change.id}/acknowledge")

    assert response.status_code == 302
    page = client.get("/b/risk/changes").text
    assert f"change-{change.id}" not in page
    assert "No risk changes waiting." in page
    assert "Risk changes (0)" in page
    [kept] = risk_changes(app)
    assert kept.acknowledged_by_id == buyer
    assert kept.acknowledged_at is not None
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "risk_change_acknowledged" in actions


def test_acknowledging_twice_changes_nothing(client, app, supplier, decide, buyer):
    decide(supplier, 33.4)
    [change] = risk_changes(app)
    client.post(f"/b/risk/changes/{change.id}/acknowledge")
    first = risk_changes(app)[0].acknowledged_at

    assert client.post(f"/b/risk/changes/{change.id}/acknowledge").status_code == 302
    assert risk_changes(app)[0].acknowledged_at == first
    assert client.post("/b/risk/changes/999999/acknowledge").status_code == 404


def test_acknowledge_all_takes_only_the_changes_the_buyer_saw(
    client, app, make_supplier, decide, buyer
):
    first, second, third = (make_supplier()[0] for _ in range(3))
    decide(first, 33.4)
    decide(second, 33.4)
    seen = max(c.id for c in risk_changes(app))
    decide(third, 33.4)  # arrives after the page was shown

    response = client.post("/b/risk/changes/acknowledge-all", data={"up_to": seen})

    assert response.status_code == 302
    waiting = [c.supplier_id for c in risk_changes(app) if c.acknowledged_at is None]
    assert waiting == [third]


def test_suppliers_cannot_see_or_acknowledge_changes(
    app, client, make_supplier, sign_in_supplier, decide
):
    supplier_id, contact_id = make_supplier()
    decide(supplier_id, 33.4)
    [change] = risk_changes(app)
    sign_in_supplier(contact_id)

    assert client.get("/b/risk/changes").status_code == 403
    assert client.post(f"/b/risk/changes/{change.id}/acknowledge").status_code == 403
    assert risk_changes(app)[0].acknowledged_at is None


def test_the_changes_page_runs_as_many_statements_for_many_changes_as_for_few(
    client, make_supplier, decide, buyer, count_queries
):
    for _ in range(2):
        decide(make_supplier()[0], 33.4)
    with count_queries() as few:
        assert client.get("/b/risk/changes").status_code == 200
    for _ in range(6):
        decide(make_supplier()[0], 33.4)
    with count_queries() as more:
        page = client.get("/b/risk/changes")
    assert page.text.count('id="change-') == 8
    assert len(more) == len(few), (few, more)


def test_the_nav_count_is_one_count_statement(client, buyer, count_queries):
    with count_queries() as statements:
        client.get("/b/risk/changes")

    counting = [s for s in statements if "count(" in s.lower() and "risk_changes" in s]
    assert len(counting) == 1
