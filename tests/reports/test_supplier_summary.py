"""The buyer's one-page summary of a supplier."""

from __future__ import annotations

from datetime import date, timedelta

from tests.reports.conftest import pdf_pages, pdf_text
from tests.reports.test_feedback_report import keep


def test_summary_shows_tier_risk_history_and_actions(app, client, reviewed, sign_in_buyer, buyer):
    from portal.extensions import db
    from portal.risk.logic import current_risk_summary
    from portal.suppliers.models import Supplier

    ids = reviewed("fr", actions=3)
    sign_in_buyer(buyer)
    response = client.get(f"/b/suppliers/{ids['supplier']}/summary.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    keep("summary-en.pdf", response.data)
    assert pdf_pages(response.data) == 1
    text = pdf_text(response.data)
    with app.app_context():
        # with the overdue action counted, as the report shows it (not stored by a GET)
        risk = current_risk_summary(db.session.get(Supplier, ids["supplier"]))
        score, tier = round(risk.score, 1), risk.tier
    assert "Tejidos Andinos" in text
    assert f"Risk score {score:g} of 100" in text
    assert {"high": "High", "medium": "Medium", "low": "Low"}[tier].casefold() in text.casefold()
    for part in ("Country", "Category", "Latest assessment", "Red flags"):
        assert part in text
    assert "Score history" in text
    assert "Supplier self-assessment (v1)" in text
    assert "3 open actions · 1 overdue" in text
    assert "Unlock exit door 1" in text
    assert "Page 1 of 1" in text


def test_summary_stays_on_one_page_with_many_actions(app, client, reviewed, sign_in_buyer, buyer):
    from portal.actions.logic import create_action
    from portal.auth.models import User
    from portal.extensions import db
    from portal.findings.models import Finding

    ids = reviewed("en")
    with app.test_request_context():
        finding = db.session.get(Finding, ids["finding"])
        for n in range(30):
            create_action(
                finding,
                by=db.session.get(User, buyer),
                title=f"Extra action number {n} with a long enough title to wrap on the page",
                what_must_change="Something to change.",
                responsible_name="Someone",
                due_date=date.today() + timedelta(days=20 + n),
            )
        db.session.commit()
    sign_in_buyer(buyer)
    response = client.get(f"/b/suppliers/{ids['supplier']}/summary.pdf")
    keep("summary-many.pdf", response.data)
    assert pdf_pages(response.data) == 1
    text = pdf_text(response.data)
    assert "32 open actions · 1 overdue" in text
    assert "and 24 more actions, listed in the portal." in text
    assert "Unlock exit door 1" in text  # the overdue one comes first


def test_summary_of_a_supplier_without_assessments(client, make_supplier, sign_in_buyer, buyer):
    supplier_id, _contact = make_supplier(name="New Supplier")
    sign_in_buyer(buyer)
    response = client.get(f"/b/suppliers/{supplier_id}/summary.pdf")
    text = pdf_text(response.data)
    assert "No assessment has been accepted yet." in text
    assert "0 open actions" in text
    assert client.get("/b/suppliers/999999/summary.pdf").status_code == 404
    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert f'href="/b/suppliers/{supplier_id}/summary.pdf"' in page
