"""The supplier page explains the risk score; reviews, creation and the CLI refresh it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import delete

from portal.extensions import db
from portal.risk.models import SupplierRisk, Tier
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.risk.conftest import risk_changes, stored_risk


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_supplier_page_shows_tier_score_and_why(
    client, make_buyer, sign_in_buyer, make_supplier, decide
):
    supplier_id, _contact = make_supplier()
    decide(supplier_id, 72.5, ("high",), decided_at=datetime(2026, 3, 31, 9, tzinfo=UTC))
    sign_in_buyer(make_buyer())

    text = _text(client.get(f"/b/suppliers/{supplier_id}").text)

    assert "medium risk Risk score 56.2 of 100" in text
    assert "Country 24 of 30 Vietnam is rated 4 of 5" in text
    assert "Category 16 of 20 The category “Textiles” is rated 4 of 5" in text
    assert "Latest assessment 8.2 of 30 The latest accepted assessment scored 72.5%" in text
    assert "Red flags 8 of 20 Accepted assessment and submissions under review: 1 high" in text
    assert "Overdue corrective actions 0 of 15 No corrective action is overdue" in text
    assert "Next assessment: Mar 31, 2027" in text  # medium: 12 months
    assert "12 months after the last accepted assessment, Mar 31, 2026" in text


def test_a_supplier_never_accepted_is_due_now(client, make_buyer, sign_in_buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    sign_in_buyer(make_buyer())

    text = _text(client.get(f"/b/suppliers/{supplier_id}").text)

    assert "Next assessment: due now" in text
    assert "No accepted assessment with a score yet: 60% of these points count" in text


def test_the_next_date_follows_the_tier(app, make_supplier, decide):
    from portal.risk.logic import risk_summary
    from portal.suppliers.models import Supplier

    high, low = make_supplier()[0], make_supplier()[0]
    accepted = datetime(2026, 8, 31, 12, tzinfo=UTC)
    decide(high, 0, ("critical",), decided_at=accepted)
    decide(low, 100, decided_at=accepted)
    with app.app_context():
        db.session.get(Supplier, low).country = "DE"
        db.session.get(Supplier, low).category = "Services"
        from portal.risk.logic import refresh_supplier_risk

        refresh_supplier_risk(db.session.get(Supplier, low), by=None)
        summaries = {s: risk_summary(db.session.get(Supplier, s)) for s in (high, low)}
        db.session.commit()

    assert (summaries[high].tier, summaries[high].next_due) == (Tier.HIGH, date(2027, 2, 28))
    assert (summaries[low].tier, summaries[low].next_due) == (Tier.LOW, date(2028, 8, 31))


def test_a_supplier_without_stored_risk_is_shown_computed(
    app, client, make_buyer, sign_in_buyer, make_supplier
):
    supplier_id, _contact = make_supplier()
    with app.app_context():
        db.session.execute(delete(SupplierRisk))
        db.session.commit()
    sign_in_buyer(make_buyer())

    assert "Risk score 58 of 100" in _text(client.get(f"/b/suppliers/{supplier_id}").text)
    assert stored_risk(app, supplier_id) is None  # a page view writes nothing


def test_accepting_a_submission_rescores_the_supplier(
    app, client, make_buyer, sign_in_buyer, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        phone.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    buyer = make_buyer()
    sign_in_buyer(buyer)

    assert client.post(f"/b/assessments/{assessment_id}/accept").status_code == 302

    risk = stored_risk(app, supplier_id)
    [assessment] = [c for c in risk.contributions if c["name"] == "assessment"]
    assert assessment["params"]["percent"] is not None
    assert assessment["points"] < 18
    [change] = risk_changes(app, supplier_id)
    assert change.old_score == 58


def test_the_cli_recomputes_everyone(app, make_supplier):
    ids = [make_supplier()[0] for _ in range(3)]
    with app.app_context():
        db.session.execute(delete(SupplierRisk))
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["refresh-risk"])

    assert result.exit_code == 0, result.output
    assert "Recomputed the risk of 3 suppliers; 0 changes flagged." in result.output
    assert all(stored_risk(app, s).score == 58 for s in ids)
