"""The same supplier on two phones: no save silently overwrites what the other saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phones import signed_in_phone, stored_answers, wait_until_saved

pytestmark = pytest.mark.browser


@pytest.fixture
def two_phones(app, live_server, browser, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    url = f"{live_server}/s/assessments/{assessment_id}/sections/1"
    contexts, pages = [], []
    for _ in range(2):
        context, page = signed_in_phone(browser, live_server, issue_link(contact_id))
        page.goto(url)
        contexts.append(context)
        pages.append(page)
    yield assessment_id, pages[0], pages[1]
    for context in contexts:
        context.close()


def test_the_second_save_of_one_question_learns_of_the_first_and_sees_both_values(app, two_phones):
    assessment_id, first, second = two_phones
    first.locator('[name="q-total_workers"]').fill("20")
    wait_until_saved(first)

    second.locator('[name="q-total_workers"]').fill("30")

    question = second.locator("#q-total_workers")
    expect(question.locator(".conflict")).to_have_text(
        "Saved on another device meanwhile: 20 workers"
    )
    expect(second.locator(".save-status")).to_contain_text("changed on another device")
    assert second.locator('[name="q-total_workers"]').input_value() == "30"
    assert stored_answers(app, assessment_id)["total_workers"] == 20
    second.locator('[name="q-weekly_hours"]').fill("48")  # autosave has stopped
    second.wait_for_timeout(2000)
    assert stored_answers(app, assessment_id)["weekly_hours"] is None

    # Save goes the way it goes without JavaScript: both values, then Save keeps these
    second.get_by_role("button", name="Save draft").click()
    expect(second.get_by_text("Saved on another device meanwhile: 20 workers")).to_be_visible()
    assert second.locator('[name="q-total_workers"]').input_value() == "30"
    second.get_by_role("button", name="Save draft").click()
    expect(second.get_by_text("Section saved.")).to_be_visible()
    stored = stored_answers(app, assessment_id)
    assert (stored["total_workers"], stored["weekly_hours"]) == (30, 48)


def test_different_questions_on_two_phones_conflict_with_nothing_and_both_are_kept(app, two_phones):
    assessment_id, first, second = two_phones
    first.locator('[name="q-total_workers"]').fill("20")
    wait_until_saved(first)
    second.locator('[name="q-weekly_hours"]').fill("50")
    wait_until_saved(second)
    # the second phone still shows no workers; its next change must not undo the first's
    second.locator('[name="q-keeps_id_or_deposit"][value="no"]').check()
    wait_until_saved(second)
    first.locator('[name="q-minimum_wage"][value="all_paid"]').check()
    wait_until_saved(first)

    stored = stored_answers(app, assessment_id)
    assert stored["total_workers"] == 20
    assert stored["weekly_hours"] == 50
    assert stored["keeps_id_or_deposit"] == "no"
    assert stored["minimum_wage"] == "all_paid"
    for page in (first, second):
        expect(page.locator(".conflict")).to_have_count(0)


def test_answers_kept_offline_learn_of_a_save_made_meanwhile_on_the_other_phone(app, two_phones):
    assessment_id, first, second = two_phones
    first.evaluate("navigator.serviceWorker.ready")
    first.context.set_offline(True)
    first.locator('[name="q-total_workers"]').fill("33")
    expect(first.locator(".save-banner")).to_be_visible()
    second.locator('[name="q-total_workers"]').fill("44")
    wait_until_saved(second)

    first.reload()  # offline: the kept answers come back with the stamps they were typed on
    first.context.set_offline(False)

    expect(first.locator("#q-total_workers .conflict")).to_have_text(
        "Saved on another device meanwhile: 44 workers"
    )
    assert first.locator('[name="q-total_workers"]').input_value() == "33"
    assert stored_answers(app, assessment_id)["total_workers"] == 44
