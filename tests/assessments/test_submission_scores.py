"""A submission is scored when it is frozen, and the buyer sees red flags before anything else."""

from __future__ import annotations

from sqlalchemy import select

from portal.assessments.models import Revision
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS

BAD_SECTION_1 = {
    **SAMPLE_ANSWERS[1],
    "q-keeps_id_or_deposit": "yes",
    "q-weekly_hours": "70",
}
BAD_SECTION_2 = {**SAMPLE_ANSWERS[2], "q-emergency_exits": "no"}


def _submit(client, assessment_id, sections):
    for number, answers in sections.items():
        assert (
            client.post(
                f"/s/assessments/{assessment_id}/sections/{number}", data=answers
            ).status_code
            == 302
        )
    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302


def test_submitting_stores_the_score_and_red_flags_with_the_revision(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    _submit(client, assessment_id, {**SAMPLE_ANSWERS, 1: BAD_SECTION_1, 2: BAD_SECTION_2})

    with app.app_context():
        revision = db.session.scalar(select(Revision))
        assert 0 < revision.score["overall"] < 100
        assert set(revision.score["sections"]) == {
            "workers",
            "health_safety",
            "environment",
            "ethics",
            "management",
        }
        flagged = [(f["question"], f["severity"]) for f in revision.red_flags]
    assert flagged[:2] == [("keeps_id_or_deposit", "critical"), ("emergency_exits", "critical")]
    assert ("weekly_hours", "high") in flagged


def test_buyer_sees_red_flags_first_with_proposed_findings_then_scores(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    _submit(client, assessment_id, {**SAMPLE_ANSWERS, 2: BAD_SECTION_2})
    client.post("/sign-out")
    sign_in_buyer(make_buyer())

    page = client.get(f"/b/assessments/{assessment_id}").text

    assert "1 red flag" in page
    flags_at = page.index("red-flags")
    assert flags_at < page.index("scores-title") < page.index("1. Workers")
    assert "critical</span>" in page
    assert "Proposed finding:" in page
    assert '<rect class="bar-fill" width="' in page


def test_a_clean_submission_shows_no_red_flags(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    _submit(client, assessment_id, SAMPLE_ANSWERS)
    client.post("/sign-out")
    sign_in_buyer(make_buyer())

    page = client.get(f"/b/assessments/{assessment_id}").text

    assert "red flag" not in page
    assert "Score: " in page
