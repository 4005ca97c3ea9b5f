"""In Chromium: the buyer sends the feedback report; on a phone, the mail's link lands the
supplier on its assessment, which offers the report as a PDF in its language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.reports.conftest import answer_and_submit, buyer, pdf_text, reviewed

# The reports' fixtures, used here too (pytest finds fixtures imported into a module).
__all__ = ["answer_and_submit", "buyer", "reviewed"]

pytestmark = [pytest.mark.browser, pytest.mark.pdf]


def test_buyer_sends_the_report_and_the_supplier_opens_it_on_a_phone(
    app, live_server, browser, phone, reviewed, buyer, mailbox
):
    from portal.auth.models import User
    from portal.extensions import db

    app.config["WTF_CSRF_ENABLED"] = False  # set-up through the test client
    ids = reviewed("fr", name="Maroquinerie Dupont")
    app.config["WTF_CSRF_ENABLED"] = True
    mailbox.clear()  # the buyer was told of the submission
    with app.app_context():
        email = db.session.get(User, buyer).email

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.goto(f"{live_server}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/b/assessments/{ids['assessment']}")
    report = page.get_by_role("link", name="Open the feedback report (PDF)")
    expect(report).to_be_visible()
    pdf = page.request.get(live_server + report.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Votre plan d’action" in pdf_text(pdf.body())  # the supplier's language
    page.get_by_role("button", name="Send it to the supplier").click()
    expect(page.get_by_text("The feedback report was sent to 1 contact")).to_be_visible()
    expect(page.get_by_role("button", name="Send it again")).to_be_visible()
    desk.close()

    [(_to, subject, body)] = mailbox
    assert subject == "Votre rapport de résultats est prêt"
    link = re.search(r"http://\S+/link/\S+", body).group(0)
    phone.goto(link)
    phone.get_by_role("button", name="Continuer").click()
    phone.wait_for_url(f"**/s/assessments/{ids['assessment']}/submitted")
    button = phone.get_by_role("link", name="Votre rapport de résultats (PDF)")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["width"] <= 360  # a big target on a small screen
    assert box["height"] >= 40
    pdf = phone.request.get(live_server + button.get_attribute("href"))
    assert pdf.status == 200
    text = pdf_text(pdf.body())
    assert "Maroquinerie Dupont" in text
    assert "Ce que vous faites bien" in text
