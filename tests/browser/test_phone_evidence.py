"""On a phone, a supplier posts an update with a photo and asks for verification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from portal.actions.logic import create_action
from portal.actions.models import ActionStatus, CorrectiveAction
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import record_finding
from tests.answers_fixture import SAMPLE_ANSWERS

pytestmark = pytest.mark.browser


def test_supplier_posts_a_photo_and_asks_for_verification_on_a_phone(
    app,
    live_server,
    phone,
    make_supplier,
    make_assessment,
    issue_link,
    make_buyer,
    tmp_path,
    monkeypatch,
):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    buyer_id = make_buyer()
    app.config["WTF_CSRF_ENABLED"] = False  # set-up through the test client; the phone has CSRF
    setup = app.test_client()
    setup.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        setup.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    setup.post(f"/s/assessments/{assessment_id}/submit")
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        from portal.assessments.models import Assessment

        buyer = db.session.get(User, buyer_id)
        finding = record_finding(
            db.session.get(Assessment, assessment_id),
            by=buyer,
            title="Exits locked",
            severity="critical",
            description="Seen on site.",
        )
        action = create_action(
            finding,
            by=buyer,
            title="Unlock the exits",
            what_must_change="Keep every exit unlocked.",
            due_date=date.today() + timedelta(days=10),
        )
        db.session.commit()
        action_id = action.id

    photo = tmp_path / "exit.jpg"
    Image.new("RGB", (1200, 900), (30, 120, 60)).save(photo, "JPEG")

    phone.goto(f"{live_server}/link/{issue_link(contact_id)}")
    phone.get_by_role("button", name="Continue").click()
    phone.goto(f"{live_server}/s/actions/{action_id}")
    phone.locator('input[type="file"][name="evidence"]').set_input_files(str(photo))
    phone.get_by_label("What did you do?").fill("New panic bars fitted on both exits.")
    phone.get_by_role("button", name="Save update").click()

    thumbnail = phone.get_by_role("img", name="exit.jpg")
    expect(thumbnail).to_be_visible()  # waits for the page after the save
    # The thumbnail was served and decoded (read through Playwright, which the page's
    # Content-Security-Policy does not stop, unlike a predicate string evaluated in the page).
    expect(thumbnail).to_have_js_property("naturalWidth", 320)
    assert thumbnail.bounding_box()["width"] <= 360

    phone.get_by_role("button", name="Ready for verification").click()
    expect(phone.get_by_text("Sent to your customer for verification.")).to_be_visible()
    expect(phone.get_by_text("Your customer will check what you did.")).to_be_visible()
    with app.app_context():
        assert db.session.get(CorrectiveAction, action_id).status == (
            ActionStatus.READY_FOR_VERIFICATION
        )
