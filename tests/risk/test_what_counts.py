"""Risk and the dashboard count the latest accepted assessment, plus the red flags of a
submission under review as pending: returning answers or starting a reassessment never
makes a supplier look safer."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.dashboard.models import SupplierOverview
from portal.extensions import db
from portal.risk.models import Tier
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.risk.conftest import risk_changes, stored_risk

# Underpaid workers and workers under 18: two high red flags (8 points each).
FLAGGED = {
    **SAMPLE_ANSWERS,
    1: {
        **SAMPLE_ANSWERS[1],
        "q-minimum_wage": "some_paid_less",
        "q-employs_minors": "yes",
        "q-workers_under_18": "2",
        "q-minors_work": "Packing, day shifts only.",
    },
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def flagged(app, make_supplier, make_assessment, issue_link):
    """A supplier whose submission raised both red flags: (supplier id, assessment id, phone)."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in FLAGGED.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        assert phone.post(url, data=answers).status_code == 302
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    return supplier_id, assessment_id, phone


@pytest.fixture
def buyer(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    return client


def _overview(app, supplier_id: int) -> SupplierOverview:
    with app.app_context():
        row = db.session.scalar(
            select(SupplierOverview).where(SupplierOverview.supplier_id == supplier_id)
        )
        db.session.expunge_all()
        return row


def test_a_return_round_trip_flags_no_risk_change(app, flagged, buyer):
    supplier_id, assessment_id, phone = flagged
    submitted = stored_risk(app, supplier_id)
    assert (submitted.score, submitted.tier) == (74, Tier.HIGH)  # 24 + 16 + 18 + 2 × 8
    assert len(risk_changes(app, supplier_id)) == 1  # the submission's red flags: 58 → 74

    response = buyer.post(f"/b/assessments/{assessment_id}/return", data={"comment": "Why?"})
    assert response.status_code == 302

    returned = stored_risk(app, supplier_id)
    assert (returned.score, returned.tier) == (74, Tier.HIGH)
    assert len(risk_changes(app, supplier_id)) == 1

    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302

    assert stored_risk(app, supplier_id).score == 74
    assert len(risk_changes(app, supplier_id)) == 1


def test_the_red_flags_of_a_returned_submission_show_as_pending(app, flagged, buyer):
    supplier_id, assessment_id, _phone = flagged
    buyer.post(f"/b/assessments/{assessment_id}/return", data={"comment": "Why?"})

    overview = _overview(app, supplier_id)
    assert (overview.open_red_flags, overview.pending_red_flags) == (2, 2)
    assert overview.latest_score is None  # nothing accepted yet
    dashboard = _text(buyer.get("/b/dashboard/").text)
    assert "2 pending review" in dashboard
    page = _text(buyer.get(f"/b/suppliers/{supplier_id}").text)
    assert "2 high red flags; 2 pending: raised by a submission under review" in page


def test_a_reassessment_keeps_the_last_accepted_score_and_red_flags(
    app, flagged, buyer, questionnaire
):
    supplier_id, assessment_id, _phone = flagged
    assert buyer.post(f"/b/assessments/{assessment_id}/accept").status_code == 302
    accepted = _overview(app, supplier_id)
    assert accepted.latest_score is not None
    assert accepted.open_red_flags == 2
    risk = stored_risk(app, supplier_id).score
    changes = len(risk_changes(app, supplier_id))

    due = (date.today() + timedelta(days=30)).isoformat()
    response = buyer.post(
        f"/b/suppliers/{supplier_id}/assign",
        data={"questionnaire": questionnaire, "due_date": due},
    )
    assert response.status_code == 302

    reassessed = _overview(app, supplier_id)
    assert reassessed.assessment_id != assessment_id  # the dashboard lists the new one
    assert reassessed.status == "invited"
    assert reassessed.latest_score == accepted.latest_score
    assert reassessed.open_red_flags == 2
    assert stored_risk(app, supplier_id).score == risk
    assert len(risk_changes(app, supplier_id)) == changes
    row = _dashboard_row(buyer.get("/b/dashboard/?sort=score&order=desc").text, supplier_id)
    assert f"<td>{accepted.latest_score:.1f}%</td>" in row  # the accepted score, kept
    assert "invited" in row
    assert '<span class="badge severity-high">2</span>' in row


def _dashboard_row(html: str, supplier_id: int) -> str:
    """The dashboard's table row of one supplier."""
    [row] = [r for r in html.split("<tr>") if f'name="supplier" value="{supplier_id}"' in r]
    return row.split("</tr>", 1)[0]
