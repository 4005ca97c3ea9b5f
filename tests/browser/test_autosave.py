"""With JavaScript on, answers save as the supplier goes, and wait on the phone offline."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.phones import signed_in_phone
from tests.browser.phones import stored_answers as _stored

pytestmark = pytest.mark.browser


@pytest.fixture
def answering(app, live_server, browser, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    context, page = signed_in_phone(browser, live_server, issue_link(contact_id))
    url = f"{live_server}/s/assessments/{assessment_id}/sections/1"
    yield page, url, assessment_id
    context.close()


def _save_button_top(page) -> float:
    return page.get_by_role("button", name="Save and continue").evaluate(
        "button => button.getBoundingClientRect().top + window.scrollY"
    )


def test_an_answer_saves_without_pressing_save(app, answering):
    page, url, assessment_id = answering
    page.goto(url)
    button_top = _save_button_top(page)
    page.locator('[name="q-total_workers"]').fill("17")

    expect(page.locator(".save-status")).to_have_text("Saved")
    assert _stored(app, assessment_id)["total_workers"] == 17
    assert _save_button_top(page) == button_top  # the status moved no button under a finger


def test_answers_typed_offline_survive_a_reload_and_reach_the_server_online(
    app, answering, server_saw
):
    page, url, assessment_id = answering
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready")
    context = page.context
    context.set_offline(True)
    server_saw.clear()
    page.locator('[name="q-employs_minors"][value="yes"]').check()  # opens two questions
    page.locator('[name="q-workers_under_18"]').fill("2")
    button_top = _save_button_top(page)
    page.locator('[name="q-total_workers"]').fill("31")
    page.locator('[name="q-written_contracts"][value="some"]').check()
    banner = page.locator(".save-banner")
    expect(banner).to_have_text("Not saved yet: offline — kept on this phone")
    expect(page.locator(".save-status")).to_have_text("Not saved yet: offline — kept on this phone")
    assert _save_button_top(page) == button_top  # nor did the banner

    reloaded = page.reload()  # still offline: the service worker answers, from its copy
    assert reloaded.from_service_worker
    assert server_saw == []
    assert page.locator('[name="q-total_workers"]').input_value() == "31"
    assert page.locator('[name="q-written_contracts"][value="some"]').is_checked()
    expect(page.locator("#q-workers_under_18")).to_be_visible()  # show-if follows
    assert page.locator('[name="q-workers_under_18"]').input_value() == "2"
    expect(banner).to_be_visible()
    assert _stored(app, assessment_id).get("total_workers") is None

    context.set_offline(False)
    expect(page.locator(".save-status")).to_have_text("Saved")
    expect(banner).to_be_hidden()
    stored = _stored(app, assessment_id)
    assert stored["total_workers"] == 31
    assert stored["written_contracts"] == "some"
    assert (stored["employs_minors"], stored["workers_under_18"]) == ("yes", 2)


def test_saved_shows_only_once_the_server_has_the_answer(app, answering):
    page, url, assessment_id = answering
    page.goto(url)
    page.route("**/autosave", lambda route: route.abort())  # the server never hears of it
    page.locator('[name="q-total_workers"]').fill("18")

    status = page.locator(".save-status")
    expect(status).to_have_text("Not saved yet: kept on this phone, trying again")
    kept = page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")
    kept[0]["content"] = json.loads(kept[0]["content"])
    assert [pair for pair in kept[0]["content"] if pair[0] == "q-total_workers"] == [
        ["q-total_workers", "18"]
    ]
    page.evaluate("localStorage.clear()")  # a cleaned-up browser: still not "Saved"
    page.wait_for_timeout(2500)
    assert status.text_content() != "Saved"

    page.unroute("**/autosave")
    expect(status).to_have_text("Saved", timeout=10_000)  # the next retry
    assert _stored(app, assessment_id)["total_workers"] == 18
    assert page.evaluate("localStorage.length") == 0


def test_an_invalid_answer_is_named_under_its_question_until_it_is_corrected(app, answering):
    page, url, assessment_id = answering
    page.goto(url)
    page.context.set_offline(True)
    page.locator('[name="q-total_workers"]').fill("many")
    expect(page.locator(".save-banner")).to_be_visible()
    page.context.set_offline(False)

    question = page.locator("#q-total_workers")
    expect(question.locator("p.error")).to_be_visible()
    expect(page.locator(".save-banner")).to_be_hidden()  # the server answered
    expect(page.locator(".save-status")).to_have_text(
        "Some answers need a change. Nothing was saved yet: please check them."
    )
    page.locator('[name="q-total_workers"]').fill("14")
    expect(page.locator(".save-status")).to_have_text("Saved")
    expect(question.locator("p.error")).to_have_count(0)
    assert _stored(app, assessment_id)["total_workers"] == 14


def test_save_right_after_typing_sends_the_answers_first_then_moves_on(app, answering):
    page, url, assessment_id = answering
    page.goto(url)
    page.locator('[name="q-total_workers"]').fill("19")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/sections/2")
    expect(page.get_by_text("Section saved.")).to_be_visible()
    assert _stored(app, assessment_id)["total_workers"] == 19
    assert page.evaluate("localStorage.length") == 0


def test_a_resent_save_is_stored_once_and_its_id_with_other_answers_is_refused(
    app, answering, server_saw
):
    page, url, assessment_id = answering
    page.goto(url)
    replies = page.evaluate(
        """async () => {
          const form = document.querySelector("form[data-autosave]");
          const body = (workers) => {
            const data = new URLSearchParams(new FormData(form));
            data.set("save_id", "resent-save-0001");
            data.set("q-total_workers", workers);
            return data;
          };
          const post = (workers) =>
            fetch(form.dataset.autosave, {method: "POST", body: body(workers)})
              .then(async (r) => [r.status, (await r.json()).status]);
          const together = await Promise.all([post("21"), post("21")]);  // a double tap
          return together.concat([await post("21"), await post("22")]);
        }"""
    )

    assert replies == [[200, "saved"], [200, "saved"], [200, "saved"], [409, "refused"]]
    assert _stored(app, assessment_id)["total_workers"] == 21
    assert all(status < 500 for status in [r[0] for r in replies])
    with app.app_context():
        from sqlalchemy import func, select

        from portal.assessments.models import SaveReceipt
        from portal.extensions import db

        receipts = db.session.scalar(
            select(func.count()).where(SaveReceipt.save_id == "resent-save-0001")
        )
    assert receipts == 1
