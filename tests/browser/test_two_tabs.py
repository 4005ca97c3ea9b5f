"""Two tabs of one phone on the same section: neither loses what the other has not sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phones import signed_in_phone, stored_answers, wait_until_saved

pytestmark = pytest.mark.browser


@pytest.fixture
def two_tabs(app, live_server, browser, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    context, first = signed_in_phone(browser, live_server, issue_link(contact_id))
    url = f"{live_server}/s/assessments/{assessment_id}/sections/1"
    first.goto(url)
    first.evaluate("navigator.serviceWorker.ready")
    second = context.new_page()
    second.goto(url)
    yield assessment_id, url, context, first, second
    context.close()


def _queued(page) -> list[str]:
    """The answers of every save waiting in this phone's localStorage."""
    return page.evaluate(
        "() => Object.keys(localStorage).flatMap(k => JSON.parse(localStorage[k]))"
        ".map(s => s.content)"
    )


def test_a_tab_closed_offline_keeps_its_answers_though_another_tab_saved_after_it(app, two_tabs):
    assessment_id, url, context, first, second = two_tabs
    unsent = "Not saved yet: offline — kept on this phone"
    context.set_offline(True)
    first.locator('[name="q-total_workers"]').fill("31")
    expect(first.locator(".save-status")).to_have_text(unsent)
    second.locator('[name="q-weekly_hours"]').fill("48")  # the other tab, same section
    expect(second.locator(".save-status")).to_have_text(unsent)
    assert any('"31"' in queued for queued in _queued(second))  # not overwritten
    first.close()  # the first tab goes, its answer never sent

    context.set_offline(False)
    expect(second.locator(".save-status")).to_have_text("Saved")
    assert stored_answers(app, assessment_id)["weekly_hours"] == 48
    assert any('"31"' in queued for queued in _queued(second))  # nor dropped by that save

    third = context.new_page()  # opening the section again sends what the closed tab kept
    third.goto(url)
    expect(third.locator('[name="q-total_workers"]')).to_have_value("31")
    wait_until_saved(third)
    stored = stored_answers(app, assessment_id)
    assert (stored["total_workers"], stored["weekly_hours"]) == (31, 48)
    second.reload()
    assert second.locator('[name="q-total_workers"]').input_value() == "31"
    assert second.locator('[name="q-weekly_hours"]').input_value() == "48"


def test_two_open_tabs_each_save_their_own_answers(app, two_tabs):
    assessment_id, _url, _context, first, second = two_tabs
    first.locator('[name="q-total_workers"]').fill("25")
    second.locator('[name="q-weekly_hours"]').fill("40")
    wait_until_saved(first)
    wait_until_saved(second)
    stored = stored_answers(app, assessment_id)
    assert (stored["total_workers"], stored["weekly_hours"]) == (25, 40)
