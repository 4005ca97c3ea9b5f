"""Fixtures for reminders: actions and assessments with given due dates, read from the outbox."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.findings.models import Finding
from portal.notifications.models import OutboxMail
from portal.reminders.logic import send_reminders

# A Sunday far ahead, so that assigning with this due date is never "in the past".
SUNDAY = date(2030, 6, 16)
assert SUNDAY.weekday() == 6


@pytest.fixture
def make_action(app, make_supplier, make_assessment, make_buyer):
    """An action due on `due` on a supplier whose assessment is accepted (so only the action
    is reminded). Returns (action_id, contact_email, buyer_email or None)."""

    def make(
        due: date, *, status=ActionStatus.OPEN, locale: str = "en", buyer: bool = True
    ) -> tuple[int, str, str | None]:
        supplier_id, contact_id = make_supplier(locale=locale)
        assessment_id = make_assessment(supplier_id)
        buyer_id = make_buyer() if buyer else None
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            assessment.status = AssessmentStatus.ACCEPTED
            assessment.submitted_at = utcnow()
            finding = Finding(
                supplier_id=supplier_id,
                assessment_id=assessment_id,
                title="Exits locked",
                severity="critical",
                created_by_id=buyer_id,
            )
            action = CorrectiveAction(
                finding=finding,
                supplier_id=supplier_id,
                title="Unlock the exits",
                what_must_change="Keep every exit unlocked.",
                due_date=due,
                status=status,
                created_by_id=buyer_id,
                closed_at=utcnow() if status == ActionStatus.CLOSED else None,
            )
            db.session.add(action)
            db.session.commit()
            contact = db.session.get(User, contact_id).email
            buyer_email = db.session.get(User, buyer_id).email if buyer_id else None
            return action.id, contact, buyer_email

    return make


@pytest.fixture
def run(app):
    """send_reminders on a day, committed; returns the counts of what was queued."""

    def run_on(day: date, **kwargs) -> dict[str, int]:
        with app.app_context():
            counts = send_reminders(day, **kwargs)
            db.session.commit()
            return counts

    return run_on


@pytest.fixture
def outbox(app):
    """Every queued mail so far, as (recipient, subject, body)."""

    def read() -> list[tuple[str, str, str]]:
        with app.app_context():
            mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
            return [(mail.recipient, mail.subject, mail.body) for mail in mails]

    return read
