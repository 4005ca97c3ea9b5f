"""Which reminders go out on which day, to whom, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.actions.models import ActionStatus
from portal.assessments.models import Assessment, AssessmentStatus
from portal.db import utcnow
from portal.extensions import db
from portal.reminders.logic import due_reminders, overdue_week
from portal.reminders.models import SentReminder
from tests.reminders.conftest import SUNDAY

DAY = timedelta(days=1)


def _total(counts: dict[str, int]) -> int:
    return sum(counts.values())


def test_an_action_is_reminded_7_and_1_days_before_its_due_date_not_6(make_action, run, outbox):
    _action, contact, _buyer = make_action(SUNDAY)
    assert run(SUNDAY - 8 * DAY)["action_due"] == 0
    assert run(SUNDAY - 7 * DAY)["action_due"] == 1
    assert run(SUNDAY - 6 * DAY)["action_due"] == 0
    assert run(SUNDAY - 2 * DAY)["action_due"] == 0
    assert run(SUNDAY - 1 * DAY)["action_due"] == 1
    assert _total(run(SUNDAY)) == 0  # due today: not overdue yet
    mails = outbox()
    assert [recipient for recipient, _s, _b in mails] == [contact, contact]
    assert mails[0][1] == "Reminder: Unlock the exits is due in 7 days"
    assert mails[1][1] == "Reminder: Unlock the exits is due tomorrow"
    assert "http://localhost/link/" in mails[0][2]


def test_lead_days_come_from_the_configuration(app, make_action, run, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_DAYS", "3")
    make_action(SUNDAY)
    assert run(SUNDAY - 7 * DAY)["action_due"] == 0
    assert run(SUNDAY - 3 * DAY)["action_due"] == 1
    assert run(SUNDAY - 6 * DAY, lead_days=(6,))["action_due"] == 1


def test_every_active_contact_is_reminded(app, make_action, run, outbox):
    from portal.auth.logic import create_user
    from portal.auth.models import Role, User

    action_id, contact, _buyer = make_action(SUNDAY)
    with app.app_context():
        first = db.session.scalar(select(User).where(User.email == contact))
        for email, active in (("second@supplier.example", True), ("gone@supplier.example", False)):
            user = create_user(email, Role.SUPPLIER, supplier_id=first.supplier_ids[0])
            user.contact_links[0].active = active
        db.session.commit()
    assert run(SUNDAY - 7 * DAY)["action_due"] == 2
    assert sorted(r for r, _s, _b in outbox()) == sorted([contact, "second@supplier.example"])


def test_overdue_is_weekly_with_an_escalation_to_the_buyer_from_the_second_week(
    make_action, run, outbox
):
    _action, contact, buyer = make_action(SUNDAY)
    monday = SUNDAY + DAY  # first overdue day, first overdue week
    assert run(monday) == {
        "action_due": 0,
        "action_overdue": 1,
        "escalation": 0,
        "assessment_due": 0,
        "assessment_overdue": 0,
    }
    assert _total(run(monday + 3 * DAY)) == 0  # the same week: not twice
    assert _total(run(monday + 6 * DAY)) == 0
    second = run(monday + 7 * DAY)  # the next week: again, and the buyer hears of it
    assert (second["action_overdue"], second["escalation"]) == (1, 1)
    assert _total(run(monday + 9 * DAY)) == 0
    third = run(monday + 14 * DAY)
    assert (third["action_overdue"], third["escalation"]) == (1, 1)
    mails = outbox()
    assert [recipient for recipient, _s, _b in mails] == [contact, contact, buyer, contact, buyer]
    assert mails[0][1] == "Overdue: Unlock the exits"
    assert "1 day ago" in mails[0][2]
    assert mails[2][1].startswith("Still overdue: Unlock the exits at Supplier")
    assert "8 days overdue" in mails[2][2]
    assert "/b/actions/" in mails[2][2]
    assert "/link/" not in mails[2][2]  # the buyer signs in with a password


def test_overdue_weeks_follow_the_calendar():
    assert overdue_week(SUNDAY, SUNDAY + DAY) == 1
    assert overdue_week(SUNDAY, SUNDAY + 7 * DAY) == 1
    assert overdue_week(SUNDAY, SUNDAY + 8 * DAY) == 2
    wednesday = SUNDAY + 3 * DAY
    assert overdue_week(wednesday, wednesday + 4 * DAY) == 1  # Sunday of the same week
    assert overdue_week(wednesday, wednesday + 5 * DAY) == 2  # Monday after


def test_no_escalation_without_a_buyer(make_action, run):
    make_action(SUNDAY, buyer=False)
    counts = run(SUNDAY + 8 * DAY)
    assert (counts["action_overdue"], counts["escalation"]) == (1, 0)


def test_closed_actions_get_no_reminders(make_action, run):
    make_action(SUNDAY, status=ActionStatus.CLOSED)
    for day in (SUNDAY - 7 * DAY, SUNDAY - DAY, SUNDAY + DAY, SUNDAY + 8 * DAY):
        assert _total(run(day)) == 0


def test_actions_in_progress_or_reopened_are_reminded(make_action, run):
    make_action(SUNDAY, status=ActionStatus.IN_PROGRESS)
    make_action(SUNDAY, status=ActionStatus.REOPENED)
    assert run(SUNDAY - 7 * DAY)["action_due"] == 2


def test_open_assessments_are_reminded_before_and_weekly_after_their_due_date(
    make_supplier, make_assessment, run, outbox
):
    supplier_id, _contact = make_supplier()
    make_assessment(supplier_id, due=SUNDAY)
    assert run(SUNDAY - 7 * DAY)["assessment_due"] == 1
    assert run(SUNDAY - 6 * DAY)["assessment_due"] == 0
    assert run(SUNDAY - DAY)["assessment_due"] == 1
    assert run(SUNDAY + DAY)["assessment_overdue"] == 1
    assert _total(run(SUNDAY + 2 * DAY)) == 0
    counts = run(SUNDAY + 8 * DAY)
    assert (counts["assessment_overdue"], counts["escalation"]) == (1, 0)
    subjects = [subject for _r, subject, _b in outbox()]
    assert subjects[:2] == [
        "Reminder: your questionnaire is due in 7 days",
        "Reminder: your questionnaire is due tomorrow",
    ]
    assert subjects[2].startswith("Overdue: your questionnaire for Supplier")


def test_returned_and_in_progress_assessments_are_reminded(
    app, make_supplier, make_assessment, run
):
    for status in (AssessmentStatus.IN_PROGRESS, AssessmentStatus.RETURNED):
        supplier_id, _contact = make_supplier()
        assessment_id = make_assessment(supplier_id, due=SUNDAY)
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            assessment.status = status
            assessment.submitted_at = utcnow() if status == AssessmentStatus.RETURNED else None
            db.session.commit()
    assert run(SUNDAY - DAY)["assessment_due"] == 2


def test_submitted_and_accepted_assessments_get_no_reminders(
    app, make_supplier, make_assessment, run
):
    for status in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED):
        supplier_id, _contact = make_supplier()
        assessment_id = make_assessment(supplier_id, due=SUNDAY)
        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            assessment.status = status
            assessment.submitted_at = utcnow()
            db.session.commit()
    for day in (SUNDAY - 7 * DAY, SUNDAY - DAY, SUNDAY + DAY, SUNDAY + 8 * DAY):
        assert _total(run(day)) == 0


def test_running_twice_sends_nothing_twice(app, make_action, make_supplier, make_assessment, run):
    make_action(SUNDAY + 8 * DAY)
    make_action(SUNDAY - 8 * DAY)
    supplier_id, _contact = make_supplier()
    make_assessment(supplier_id, due=SUNDAY + DAY)
    first = run(SUNDAY)
    assert first == {
        "action_due": 0,
        "action_overdue": 1,
        "escalation": 1,
        "assessment_due": 1,
        "assessment_overdue": 0,
    }
    with app.app_context():
        assert due_reminders(SUNDAY) == []
    assert _total(run(SUNDAY)) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(SentReminder.id))) == 3
    from portal.notifications.models import OutboxMail

    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMail.id))) == 3


def test_a_reminder_recorded_by_another_run_is_not_queued_again(app, make_action, run, outbox):
    from portal.reminders import logic

    make_action(SUNDAY + 7 * DAY)
    with app.test_request_context():
        pending = logic.due_reminders(SUNDAY)
        assert len(pending) == 1
        assert logic._record(pending[0]) is True  # another run got there first
        assert logic._record(pending[0]) is False
        db.session.commit()
    assert _total(run(SUNDAY)) == 0
    assert outbox() == []


def test_each_recipient_gets_the_reminder_in_their_language(make_action, run, outbox):
    make_action(SUNDAY, locale="fr")
    make_action(SUNDAY, locale="es")
    run(SUNDAY - 7 * DAY)
    run(SUNDAY + DAY)
    subjects = [subject for _r, subject, _b in outbox()]
    assert subjects[0] == "Rappel\u00a0: Unlock the exits est à faire dans 7 jours"
    assert subjects[1] == "Recordatorio: Unlock the exits vence en 7 días"
    assert subjects[2] == "En retard\u00a0: Unlock the exits"
    assert subjects[3] == "Vencida: Unlock the exits"
