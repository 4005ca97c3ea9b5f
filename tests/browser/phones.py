"""Helpers for browser tests of the section page: a signed-in phone, the stored answers."""

from __future__ import annotations

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment
from portal.extensions import db
from tests.browser.conftest import PHONE


def signed_in_phone(browser, live_server: str, token: str):
    """A new phone (browser context) that opened a sign-in link; returns (context, page)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/link/{token}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/s/")
    return context, page


def stored_answers(app, assessment_id: int) -> dict:
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def wait_until_saved(page) -> None:
    """Until the server acknowledged every change typed so far (none is left on the phone)."""
    page.wait_for_function(
        "() => localStorage.length === 0"
        " && document.querySelector('.save-status').textContent === 'Saved'"
    )
