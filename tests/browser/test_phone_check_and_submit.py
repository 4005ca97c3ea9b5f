"""On a 360 px phone with JavaScript off, the supplier reads every answer before submitting
and can read them back afterwards; the sign-in page's language links work before Continue."""

import pytest
from playwright.sync_api import expect

from tests.answers_fixture import SAMPLE_ANSWERS

pytestmark = pytest.mark.browser

CERTIFIED = {
    **SAMPLE_ANSWERS[5],
    "q-certifications": ["sa8000", "other"],
    "q-certifications_other": "Business Social Compliance Initiative audit of March 2026",
}


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_check_and_submit_shows_every_answer_on_a_phone_without_javascript(
    app, live_server, phone_without_javascript, make_supplier, make_assessment, issue_link
):
    page = phone_without_javascript
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    app.config["WTF_CSRF_ENABLED"] = False  # set-up through the test client
    setup = app.test_client()
    setup.post(f"/link/{issue_link(contact_id)}")
    for number, answers in {**SAMPLE_ANSWERS, 5: CERTIFIED}.items():
        setup.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    app.config["WTF_CSRF_ENABLED"] = True  # the phone posts real forms

    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server}/s/assessments/{assessment_id}/review")

    for title in (
        "Workers and wages",
        "Health and safety",
        "Environment",
        "Business ethics",
        "Management",
    ):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    sheet = page.locator("section.answers")
    expect(sheet).to_have_count(5)
    expect(sheet.get_by_text("Ana López")).to_be_visible()
    expect(sheet.get_by_text("SA8000 (working conditions), Other")).to_be_visible()
    expect(sheet.get_by_text("Business Social Compliance Initiative audit")).to_be_visible()
    expect(sheet.get_by_text("Not answered").first).to_be_visible()  # the optional question
    for box in sheet.evaluate_all("els => els.map(e => e.getBoundingClientRect().right)"):
        assert box <= 360
    assert _no_horizontal_scroll(page)

    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_role("heading", name="Thank you, your answers are submitted")
    ).to_be_visible()
    page.get_by_role("link", name="Read your answers").click()
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(page.get_by_text("Ana López")).to_be_visible()
    expect(page.locator("main input")).to_have_count(0)
    assert _no_horizontal_scroll(page)


def test_language_links_on_the_sign_in_page_work_before_continue(
    live_server, phone_without_javascript, make_supplier, issue_link
):
    page = phone_without_javascript
    _supplier_id, contact_id = make_supplier(locale="fr")

    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    expect(page.get_by_role("button", name="Continuer")).to_be_visible()
    page.get_by_role("link", name="Español").click()
    page.get_by_role("button", name="Continuar").click()

    page.wait_for_url(f"{live_server}/s/")
    expect(page.get_by_role("heading", name="Sus cuestionarios")).to_be_visible()


def test_ticking_none_unticks_the_certifications_and_back(
    app, live_server, phone, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone.goto(f"{live_server}/link/{issue_link(contact_id)}")
    phone.get_by_role("button", name="Continue").click()
    phone.goto(f"{live_server}/s/assessments/{assessment_id}/sections/5")
    sa8000 = phone.locator('[name="q-certifications"][value="sa8000"]')
    none = phone.locator('[name="q-certifications"][value="none"]')

    sa8000.check()
    none.check()
    expect(sa8000).not_to_be_checked()
    sa8000.check()
    expect(none).not_to_be_checked()
