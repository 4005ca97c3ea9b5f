"""Fixtures for corrective actions: a red-flag finding on a submitted assessment, actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.actions.logic import create_action, post_update
from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.status import change_action_status
from portal.assessments.models import Assessment
from portal.assessments.review import latest_revision
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import record_finding, red_flag_on
from portal.findings.models import Finding
from tests.answers_fixture import SAMPLE_ANSWERS

EXITS_LOCKED = {**SAMPLE_ANSWERS, 2: {**SAMPLE_ANSWERS[2], "q-emergency_exits": "no"}}


@pytest.fixture
def buyer(make_buyer) -> int:
    return make_buyer()


@pytest.fixture
def make_finding(app, client, make_supplier, make_assessment, sign_in_supplier, buyer):
    """Submit an assessment with locked exits (a red flag) and record the buyer's finding.

    Returns (finding_id, supplier_id, contact_id); the client ends signed out.
    """

    def make(locale: str = "en") -> tuple[int, int, int]:
        supplier_id, contact_id = make_supplier(locale=locale)
        assessment_id = make_assessment(supplier_id)
        sign_in_supplier(contact_id)
        for number, values in EXITS_LOCKED.items():
            url = f"/s/assessments/{assessment_id}/sections/{number}"
            assert client.post(url, data=values).status_code == 302
        assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
        client.post("/sign-out")
        with app.test_request_context():
            assessment = db.session.get(Assessment, assessment_id)
            flag = red_flag_on(latest_revision(assessment), "emergency_exits")
            finding = record_finding(
                assessment,
                by=db.session.get(User, buyer),
                title="Exits locked",
                severity="critical",
                description="Seen on site.",
                question_key="emergency_exits",
                critical_rule=flag["rule"],
            )
            db.session.commit()
            return finding.id, supplier_id, contact_id

    return make


@pytest.fixture
def make_action(app, buyer):
    """Create an action on a finding, then walk it to `status` (as the system)."""

    def make(
        finding_id: int,
        *,
        due: date | None = None,
        status: ActionStatus = ActionStatus.OPEN,
    ) -> int:
        with app.test_request_context():
            finding = db.session.get(Finding, finding_id)
            action = create_action(
                finding,
                by=db.session.get(User, buyer),
                title="Unlock the exits",
                what_must_change="Keep every exit unlocked.",
                responsible_name="Ana",
                responsible_role="Foreman",
                due_date=due or date.today() + timedelta(days=10),
                today=date(2000, 1, 1),
            )
            path = {
                ActionStatus.OPEN: [],
                ActionStatus.IN_PROGRESS: [ActionStatus.IN_PROGRESS],
                ActionStatus.READY_FOR_VERIFICATION: [
                    ActionStatus.IN_PROGRESS,
                    ActionStatus.READY_FOR_VERIFICATION,
                ],
                ActionStatus.CLOSED: [
                    ActionStatus.IN_PROGRESS,
                    ActionStatus.READY_FOR_VERIFICATION,
                    ActionStatus.CLOSED,
                ],
                ActionStatus.REOPENED: [
                    ActionStatus.IN_PROGRESS,
                    ActionStatus.READY_FOR_VERIFICATION,
                    ActionStatus.REOPENED,
                ],
            }[status]
            if ActionStatus.READY_FOR_VERIFICATION in path:
                contact = finding.assessment.supplier.contact
                post_update(action, by=contact, note="Exits unlocked.", percent=100)
                path = path[1:]  # the update moved it to in progress
            for to in path:
                change_action_status(action, to, by=None, comment="as set up by the test")
            db.session.commit()
            return action.id

    return make


def load(app, action_id: int) -> CorrectiveAction:
    with app.app_context():
        action = db.session.get(CorrectiveAction, action_id)
        db.session.expunge(action)
        return action
