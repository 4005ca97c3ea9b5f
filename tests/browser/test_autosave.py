"""With JavaScript on, answers save as the supplier goes, and wait on the phone offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment
from portal.extensions import db
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def _stored(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def _signed_in_phone(browser, live_server, issue_link, contact_id):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/s/")
    return context, page


@pytest.fixture
def answering(app, live_server, browser, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    context, page = _signed_in_phone(browser, live_server, issue_link, contact_id)
    url = f"{live_server}/s/assessments/{assessment_id}/sections/1"
    yield page, url, assessment_id
    context.close()


def test_an_answer_saves_without_pressing_save(app, answering):
    page, url, assessment_id = answering
    page.goto(url)
    page.locator('[name="q-total_workers"]').fill("17")

    expect(page.locator(".save-status")).to_have_text("Saved")
    assert _stored(app, assessment_id)["total_workers"] == 17


def test_answers_typed_offline_survive_a_reload_and_reach_the_server_online(
    app, answering, server_saw
):
    page, url, assessment_id = answering
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready")
    context = page.context
    context.set_offline(True)
    server_saw.clear()
    page.locator('[name="q-total_workers"]').fill("31")
    page.locator('[name="q-written_contracts"][value="some"]').check()
    banner = page.locator(".save-banner")
    expect(banner).to_have_text("Not saved yet: offline — kept on this phone")
    expect(page.locator(".save-status")).to_have_text("Not saved yet: offline — kept on this phone")

    reloaded = page.reload()  # still offline: the service worker answers, from its copy
    assert reloaded.from_service_worker
    assert server_saw == []
    assert page.locator('[name="q-total_workers"]').input_value() == "31"
    assert page.locator('[name="q-written_contracts"][value="some"]').is_checked()
    expect(banner).to_be_visible()
    assert _stored(app, assessment_id).get("total_workers") is None

    context.set_offline(False)
    expect(page.locator(".save-status")).to_have_text("Saved")
    expect(banner).to_be_hidden()
    stored = _stored(app, assessment_id)
    assert stored["total_workers"] == 31
    assert stored["written_contracts"] == "some"
