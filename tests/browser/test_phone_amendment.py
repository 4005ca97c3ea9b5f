"""On a phone, a supplier reads the buyer's question next to the answer, amends and resubmits."""

import pytest
from playwright.sync_api import expect

from portal.assessments.models import Assessment
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS

pytestmark = pytest.mark.browser


def test_supplier_amends_a_returned_submission_on_a_phone(
    app, live_server, phone, make_supplier, make_assessment, issue_link, make_buyer
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    app.config["WTF_CSRF_ENABLED"] = False  # set-up through the test client; the phone has CSRF
    setup = app.test_client()
    setup.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        setup.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    setup.post(f"/s/assessments/{assessment_id}/submit")
    buyer = app.test_client()
    buyer.post(
        "/sign-in", data={"email": _email(app, make_buyer()), "password": "correct horse battery"}
    )
    buyer.post(
        f"/b/assessments/{assessment_id}/return",
        data={"comment-weekly_hours": "Does this include overtime?"},
    )

    phone.goto(f"{live_server}/link/{issue_link(contact_id)}")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("Your customer has questions about your answers.")).to_be_visible()
    phone.get_by_role("link", name="Continue").click()
    phone.get_by_role("link", name="How many hours does a worker usually work in one week?").click()
    question = phone.locator("#q-weekly_hours")
    expect(question.get_by_text("Does this include overtime?")).to_be_visible()
    assert question.bounding_box()["width"] <= 360
    question.locator('[name="q-weekly_hours"]').fill("52")
    phone.get_by_role("button", name="Save and continue").click()
    phone.wait_for_url("**/sections/2")  # the answer saved first, then the page moved on
    phone.goto(f"{live_server}/s/assessments/{assessment_id}/review")
    phone.get_by_role("button", name="Submit my answers").click()

    expect(
        phone.get_by_role("heading", name="Thank you, your answers are submitted")
    ).to_be_visible()
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == "submitted"
        assert [r.number for r in assessment.revisions] == [1, 2]
        assert assessment.revisions[-1].answers["weekly_hours"] == 52


def _email(app, user_id):
    from portal.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).email
