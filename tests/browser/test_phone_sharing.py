"""On a 360 px phone, a supplier asked the same questionnaire by a second customer shares
the answers it sent the first, confirms them section by section, sends them, and then
stops sharing with that customer from its home page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.assessments.logic import assign
from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.logic import create_user, issue_sign_in_link
from portal.auth.models import Role, User
from portal.extensions import db
from portal.organisations.logic import create_organisation
from portal.organisations.scoping import scope_to
from portal.questionnaires.models import QuestionnaireVersion
from portal.sharing.models import AnswerShare, SharingStop
from portal.suppliers.logic import create_supplier
from tests.answers_fixture import SAMPLE_ANSWERS, post_section
from tests.browser.phones import signed_in_phone

pytestmark = pytest.mark.browser

EMAIL = "karim@atlas.example"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _two_customers(app, questionnaire) -> dict:
    """Two customers asking the same company the shared questionnaire; the first request
    is answered and sent (through the test client)."""
    ids = {}
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        for key, customer, name in (
            ("first", "Maison Lyon", "Atelier Cuir Atlas SARL"),
            ("second", "Bazar Nord", "ATELIER CUIR ATLAS"),
        ):
            organisation = create_organisation(customer)
            scope_to(db.session, organisation.id)
            create_user(f"buyer@{key}.example", Role.BUYER, organisation_id=organisation.id)
            supplier = create_supplier(
                name=name,
                country="MA",
                category="Leather goods",
                contact_email=EMAIL,
                contact_name="Karim",
                contact_locale="en",
                by=None,
            )
            ids[key] = assign(supplier, version, date.today() + timedelta(days=30), by=None).id
            ids[f"{key}_supplier"] = supplier.id
            scope_to(db.session, None)
        person = db.session.scalar(select(User).where(User.email == EMAIL))
        token = issue_sign_in_link(person, by=None, days=1)
        ids["token"] = issue_sign_in_link(person, by=None, days=1)
        db.session.commit()
    setup = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    setup.post(f"/link/{token}")
    for number, answers in SAMPLE_ANSWERS.items():
        post_section(setup, f"/s/assessments/{ids['first']}/sections/{number}", data=answers)
    setup.post(f"/s/assessments/{ids['first']}/submit")
    app.config["WTF_CSRF_ENABLED"] = True  # the phone posts real forms
    return ids


def test_a_supplier_shares_its_answers_with_a_second_customer_on_a_phone(
    app, browser, live_server, questionnaire
):
    ids = _two_customers(app, questionnaire)
    context, page = signed_in_phone(browser, live_server, ids["token"])

    second = page.locator("article.assessment").filter(has_text="Asked by Bazar Nord")
    expect(second.get_by_text("you can share those answers")).to_be_visible()
    expect(page.get_by_role("heading", name="Who sees your answers")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    second.get_by_role("link", name="Start").click()

    offer = page.locator("section.share-offer")
    expect(offer).to_contain_text("You answered this for another customer on")
    expect(offer).to_contain_text("you can review and change them first")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    offer.get_by_role("button", name="Share those answers").click()

    expect(page.get_by_text("Your earlier answers are filled in.")).to_be_visible()
    expect(page.locator("section.share-offer")).to_have_count(0)
    expect(page.locator("ol.sections").get_by_text("to confirm")).to_have_count(5)
    page.get_by_role("link", name="Continue").click()

    for number in SAMPLE_ANSWERS:
        expect(page.get_by_text(f"Section {number} of 5")).to_be_visible()
        expect(
            page.get_by_text("These answers come from the ones you gave another customer.")
        ).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if number == 1:  # what changed since: one more worker
            expect(page.locator('[name="q-total_workers"]')).to_have_value("12")
            page.locator('[name="q-total_workers"]').fill("13")
        button = "Save and continue" if number < 5 else "Save and review"
        page.get_by_role("button", name=button).click()

    page.wait_for_url("**/review")
    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_role("heading", name="Thank you, your answers are submitted")
    ).to_be_visible()

    page.goto(f"{live_server}/s/")
    who = page.locator("section.who-sees")
    expect(who).to_contain_text("you shared the answers you gave another customer on")
    who.get_by_role("button", name="Stop sharing with Bazar Nord").click()
    expect(page.get_by_text("Sharing stopped")).to_be_visible()
    expect(
        page.locator("section.who-sees").get_by_role("button", name="Share with Bazar Nord again")
    ).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    context.close()

    with app.app_context():
        sent = db.session.get(Assessment, ids["second"])
        assert sent.status == AssessmentStatus.SUBMITTED
        assert sent.revisions[-1].answers["total_workers"] == 13
        first = db.session.get(Assessment, ids["first"])
        assert first.revisions[-1].answers["total_workers"] == 12
        assert len(first.revisions) == 1
        assert db.session.scalar(select(AnswerShare.assessment_id)) == ids["second"]
        assert db.session.scalar(select(SharingStop.supplier_id)) == ids["second_supplier"]
