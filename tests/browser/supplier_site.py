"""Every page a supplier contact sees, with data behind each, for the browser tests that
walk them all (tap targets, axe-core, right-to-left).

The contact has one submitted assessment with a corrective action (for the actions list,
an action page, the answers and "what happens next" pages) and one open assessment (for
the overview, every section and the review page). Its supplier's name is in Latin
letters, so that Arabic pages show a Latin name inside Arabic sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tests.answers_fixture import SAMPLE_ANSWERS

SUPPLIER_NAME = "Taller Sol"


@dataclass
class SupplierSite:
    """Paths of the supplier pages; `token` is an unspent sign-in link of the contact."""

    token: str
    signed_out: list[str]  # shown before the contact signs in
    signed_in: list[str]  # shown after
    open_assessment: int
    action: int

    @property
    def every_page(self) -> list[str]:
        return [*self.signed_out, *self.signed_in]

    def section(self, number: int = 1) -> str:
        return f"/s/assessments/{self.open_assessment}/sections/{number}"


def build_supplier_site(app, make_supplier, make_assessment, issue_link, make_buyer):
    """Make the data behind every supplier page and return their paths."""
    from portal.actions.logic import create_action
    from portal.assessments.models import Assessment
    from portal.auth.models import User
    from portal.extensions import db
    from portal.findings.logic import record_finding

    supplier_id, contact_id = make_supplier(name=SUPPLIER_NAME)
    submitted_id = make_assessment(supplier_id)
    buyer_id = make_buyer()
    csrf = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False  # set up through the test client
    setup = app.test_client()
    setup.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        setup.post(f"/s/assessments/{submitted_id}/sections/{number}", data=answers)
    assert setup.post(f"/s/assessments/{submitted_id}/submit").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = csrf
    with app.test_request_context():
        buyer = db.session.get(User, buyer_id)
        finding = record_finding(
            db.session.get(Assessment, submitted_id),
            by=buyer,
            title="Exits locked",
            severity="critical",
            description="Seen on site.",
        )
        action = create_action(
            finding,
            by=buyer,
            title="Unlock the exits",
            what_must_change="Keep every exit unlocked.",
            due_date=date.today() + timedelta(days=10),
        )
        db.session.commit()
        action_id = action.id
    open_id = make_assessment(supplier_id)
    base = f"/s/assessments/{open_id}"
    overview = setup.get(base).text
    sections = sorted(set(int(n) for n in re.findall(rf'href="{base}/sections/(\d+)"', overview)))
    assert len(sections) > 1
    token = issue_link(contact_id)
    return SupplierSite(
        token=token,
        signed_out=["/sign-in", "/link/new", f"/link/{token}"],
        signed_in=[
            "/s/",
            base,
            *(f"{base}/sections/{n}" for n in sections),
            f"{base}/review",
            f"/s/assessments/{submitted_id}/submitted",
            f"/s/assessments/{submitted_id}/answers",
            "/s/actions",
            f"/s/actions/{action_id}",
        ],
        open_assessment=open_id,
        action=action_id,
    )


def sign_in(page, live_server: str, site: SupplierSite) -> None:
    """Open the contact's sign-in link in `page` and tap Continue."""
    page.goto(f"{live_server}/link/{site.token}")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server}/s/")


def visit(page, live_server: str, path: str, language: str | None = None) -> None:
    """Open `path`, first switching the page language when `language` is given."""
    target = f"/lang/{language}?next={path}" if language else path
    response = page.goto(f"{live_server}{target}")
    assert response is not None
    assert response.ok, f"{path}: {response.status}"
