"""The demo seeded by `flask --app portal seed-demo`: reviewed assessments, reports, peers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionStatus, ActionUpdate, CorrectiveAction
from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.auth.models import User
from portal.demo import DEMO_ORGANISATION, DEMO_SUPPLIERS, SECOND_ORGANISATION, SECOND_SUPPLIER
from portal.demo_reviews import REVIEWED_EMAIL
from portal.extensions import db
from portal.findings.models import Finding
from portal.reports.peers import MIN_PEERS, peer_scores
from portal.risk.models import SupplierRisk
from portal.suppliers.models import Supplier

LINK = re.compile(r"http://localhost(/link/[A-Za-z0-9_\-]+)")
COUNTED = (User, Supplier, Assessment, Revision, Finding, CorrectiveAction, ActionUpdate)


@pytest.fixture
def seed(app):
    runner = app.test_cli_runner()

    def invoke(*args: str):
        result = runner.invoke(args=["seed-demo", *args])
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count(m.id))) for m in COUNTED}


def _reviewed(contact: User) -> Assessment:
    (assessment,) = contact.supplier.assessments
    return assessment


def test_the_reviewed_supplier_has_findings_and_an_action_plan(app, seed):
    seed("--if-empty")

    with app.app_context():
        assessment = _reviewed(db.session.scalar(select(User).where(User.email == REVIEWED_EMAIL)))
        assert assessment.supplier.name == "Atelier Cuir Atlas"
        assert assessment.status == AssessmentStatus.ACCEPTED
        revision = assessment.revisions[-1]
        assert revision.decided_by.email == "buyer@demo.closeloop.example"
        flagged = {flag["question"] for flag in revision.red_flags}
        findings = db.session.scalars(select(Finding).where(Finding.assessment_id == assessment.id))
        findings = list(findings)
        assert 1 <= len(findings) <= 2
        for finding in findings:
            assert finding.question_key in flagged
            assert finding.critical_rule is not None
        actions = db.session.scalars(
            select(CorrectiveAction).where(CorrectiveAction.supplier_id == assessment.supplier_id)
        ).all()
        by_status = {action.status: action for action in actions}
        assert set(by_status) == {ActionStatus.CLOSED, ActionStatus.IN_PROGRESS, ActionStatus.OPEN}
        assert by_status[ActionStatus.OPEN].due_date > date.today()
        assert by_status[ActionStatus.CLOSED].title == "Déverrouiller les sorties de secours"
        assert by_status[ActionStatus.CLOSED].updates


def test_every_accepted_assessment_has_enough_peers_for_the_comparison(app, seed):
    seed("--if-empty")

    with app.app_context():
        accepted = db.session.scalars(
            select(Assessment).where(Assessment.status == AssessmentStatus.ACCEPTED)
        ).all()
        assert len(accepted) >= MIN_PEERS + 1
        for assessment in accepted:
            key = assessment.questionnaire.key
            assert len(peer_scores(key, assessment.supplier_id)) >= MIN_PEERS
        suppliers = set(db.session.scalars(select(Supplier.name)))
    assert suppliers == {supplier[0] for supplier in DEMO_SUPPLIERS} | {SECOND_SUPPLIER[0]}
    assert {"Taller Textil Sol", "Green Valley Farm"} <= suppliers


def test_a_second_customer_shares_the_leather_workshop_and_its_contact(app, seed):
    seed("--if-empty")

    with app.app_context():
        karim = db.session.scalar(select(User).where(User.email == REVIEWED_EMAIL))
        customers = {supplier.organisation.name for supplier in karim.suppliers}
        assert customers == {DEMO_ORGANISATION, SECOND_ORGANISATION}
        assert len({supplier.company_id for supplier in karim.suppliers}) == 1
        statuses = sorted(a.status for s in karim.suppliers for a in s.assessments)
        assert statuses == ["accepted", "invited"]
        # Seeding acted for two organisations in turn: every supplier's risk is still stored.
        rated = select(func.count(SupplierRisk.supplier_id))
        assert db.session.scalar(rated) == db.session.scalar(select(func.count(Supplier.id)))


def test_a_second_seed_adds_nothing_and_prints_both_links_again(app, seed):
    first = seed("--if-empty")
    counts = _counts(app)

    second = seed("--if-empty")

    assert _counts(app) == counts
    for output in (first, second):
        assert len(LINK.findall(output)) == 2
        assert REVIEWED_EMAIL in output


@pytest.mark.pdf
def test_the_printed_link_opens_the_reviewed_suppliers_feedback_report(app, seed):
    output = seed("--if-empty")
    reviewed_link = LINK.findall(output)[1]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == REVIEWED_EMAIL))
        assessment_id = _reviewed(user).id
    client = app.test_client()

    assert client.post(reviewed_link).status_code == 302
    response = client.get(f"/s/assessments/{assessment_id}/report.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
