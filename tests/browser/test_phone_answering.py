"""A supplier on a 360 px phone opens the link, answers every section and submits."""

import pytest
from playwright.sync_api import expect

from tests.answers_fixture import SAMPLE_ANSWERS

pytestmark = pytest.mark.browser


def _answer(page, answers: dict) -> None:
    for name, value in answers.items():
        field = page.locator(f'[name="{name}"]')
        kind = field.first.get_attribute("type")
        if kind == "radio":
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox":
            for v in value:
                page.locator(f'[name="{name}"][value="{v}"]').check()
        else:
            field.fill(value)


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_supplier_answers_every_section_on_a_phone_and_submits(
    live_server, phone, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier(name="Taller Sol")
    make_assessment(supplier_id)
    token = issue_link(contact_id)

    phone.goto(f"{live_server}/link/{token}")
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url(f"{live_server}/s/")
    assert _no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Start").click()
    phone.get_by_role("link", name="Start").click()

    # show-if with JavaScript on: the follow-up appears as soon as "yes" is tapped
    follow_up = phone.locator("#q-workers_under_18")
    expect(follow_up).to_be_hidden()
    phone.locator('[name="q-employs_minors"][value="yes"]').check()
    expect(follow_up).to_be_visible()
    phone.locator('[name="q-employs_minors"][value="no"]').check()
    expect(follow_up).to_be_hidden()

    for number, answers in SAMPLE_ANSWERS.items():
        expect(phone.get_by_text(f"Section {number} of 5")).to_be_visible()
        assert _no_horizontal_scroll(phone)
        _answer(phone, answers)
        button = "Save and continue" if number < 5 else "Save and review"
        phone.get_by_role("button", name=button).click()

    phone.wait_for_url("**/review")
    phone.get_by_role("button", name="Submit my answers").click()
    expect(
        phone.get_by_role("heading", name="Thank you, your answers are submitted")
    ).to_be_visible()
    expect(phone.get_by_text("What happens next")).to_be_visible()
    assert _no_horizontal_scroll(phone)


def test_without_javascript_follow_up_questions_appear_after_saving(
    live_server, phone_without_javascript, make_supplier, make_assessment, issue_link
):
    page = phone_without_javascript
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server}/s/assessments/{assessment_id}/sections/1")

    follow_up = page.locator("fieldset#q-workers_under_18")
    expect(follow_up).to_be_hidden()
    _answer(page, {**SAMPLE_ANSWERS[1], "q-employs_minors": "yes"})
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/sections/1#q-workers_under_18")
    expect(page.get_by_text("Your answers opened more questions in this section.")).to_be_visible()
    expect(follow_up).to_be_visible()
    assert page.locator('[name="q-total_workers"]').input_value() == "12"
    _answer(page, {"q-workers_under_18": "2", "q-minors_work": "Packing, 4 hours a day"})
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Section 2 of 5")).to_be_visible()
