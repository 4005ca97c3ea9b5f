"""A form token or a sign-in that ended while the page was open costs no answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phones import signed_in_phone, stored_answers

pytestmark = pytest.mark.browser


@pytest.fixture
def supplier(make_supplier, make_assessment):
    supplier_id, contact_id = make_supplier()
    return contact_id, make_assessment(supplier_id)


def _spoil_the_form_token(page) -> None:
    page.evaluate(
        "document.querySelectorAll('[name=csrf_token]').forEach(t => { t.value = 'expired' })"
    )


def test_with_javascript_a_save_with_an_expired_token_takes_a_fresh_one_and_stores(
    app, live_server, browser, supplier, issue_link
):
    contact_id, assessment_id = supplier
    context, page = signed_in_phone(browser, live_server, issue_link(contact_id))
    page.goto(f"{live_server}/s/assessments/{assessment_id}/sections/1")
    _spoil_the_form_token(page)
    page.locator('[name="q-total_workers"]').fill("23")
    page.locator('[name="q-weekly_hours"]').fill("44")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Section saved.")).to_be_visible()
    stored = stored_answers(app, assessment_id)
    assert (stored["total_workers"], stored["weekly_hours"]) == (23, 44)
    context.close()


def test_without_javascript_an_expired_token_shows_the_answers_again_and_save_stores_them(
    app, live_server, phone_without_javascript, supplier, issue_link, monkeypatch
):
    contact_id, assessment_id = supplier
    page = phone_without_javascript
    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server}/s/assessments/{assessment_id}/sections/1")
    page.locator('[name="q-total_workers"]').fill("24")
    page.locator('[name="q-written_contracts"][value="some"]').check()
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 1)  # the phone lay on the table
    page.wait_for_timeout(2100)
    page.get_by_role("button", name="Save draft").click()

    again = page.get_by_text("Your answers are still here: please press Save again.")
    expect(again).to_be_visible()
    assert page.locator('[name="q-total_workers"]').input_value() == "24"
    assert page.locator('[name="q-written_contracts"][value="some"]').is_checked()
    assert stored_answers(app, assessment_id).get("total_workers") is None
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Section saved.")).to_be_visible()
    stored = stored_answers(app, assessment_id)
    assert (stored["total_workers"], stored["written_contracts"]) == (24, "some")


def test_answers_typed_after_the_sign_in_ended_wait_on_the_phone_for_the_next_sign_in(
    app, live_server, browser, supplier, issue_link
):
    contact_id, assessment_id = supplier
    context, page = signed_in_phone(browser, live_server, issue_link(contact_id))
    url = f"{live_server}/s/assessments/{assessment_id}/sections/1"
    page.goto(url)
    context.clear_cookies()  # the session is gone
    page.locator('[name="q-total_workers"]').fill("25")

    status = page.locator(".save-status")
    expect(status).to_contain_text("Your sign-in has ended, so your answers are not saved yet.")
    expect(status.get_by_role("link", name="Ask for a new sign-in link")).to_have_attribute(
        "href", "/link/new"
    )
    assert page.locator('[name="q-total_workers"]').input_value() == "25"
    assert stored_answers(app, assessment_id).get("total_workers") is None

    page.goto(f"{live_server}/link/{issue_link(contact_id)}")  # a new link, on this phone
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sections/1")  # kept answers bring the supplier back to them
    assert page.locator('[name="q-total_workers"]').input_value() == "25"
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Section saved.")).to_be_visible()
    assert stored_answers(app, assessment_id)["total_workers"] == 25
    context.close()
