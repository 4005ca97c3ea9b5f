"""Long words wrap on the pages (no sideways scrolling), and user-written text is
isolated from the labels around it."""

import pytest
from playwright.sync_api import expect

from tests.answers_fixture import SAMPLE_ANSWERS

pytestmark = pytest.mark.browser

WORD = "W" * 2000


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_long_supplier_name_wraps_on_the_phone(live_server, phone, make_supplier, issue_link):
    _supplier_id, contact_id = make_supplier(name="Taller" + "S" * 150)
    phone.goto(f"{live_server}/link/{issue_link(contact_id)}")
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url(f"{live_server}/s/")
    expect(phone.get_by_text("TallerSSSS")).to_be_visible()
    # a phone browser widens its layout to fit what overflows: compare with the phone's width
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_long_answer_wraps_on_the_buyers_page_and_is_isolated(
    app,
    live_server,
    browser,
    client,
    make_supplier,
    make_assessment,
    sign_in_supplier,
    make_buyer,
    monkeypatch,
):
    from portal.auth.models import User
    from portal.extensions import db

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # answered by the test client
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    answers = {**SAMPLE_ANSWERS, 3: {**SAMPLE_ANSWERS[3], "q-env_improvements": WORD}}
    for number, values in answers.items():
        assert (
            client.post(
                f"/s/assessments/{assessment_id}/sections/{number}", data=values
            ).status_code
            == 302
        )
    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    buyer = make_buyer()
    with app.app_context():
        email = db.session.get(User, buyer).email
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/b/assessments/{assessment_id}")
    answer = page.locator("bdi", has_text="WWWW")
    expect(answer).to_be_visible()
    assert _no_horizontal_scroll(page)
    assert answer.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    box = answer.bounding_box()
    assert box["x"] + box["width"] <= 1280
    context.close()
