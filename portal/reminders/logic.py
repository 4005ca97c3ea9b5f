"""Which reminders are due today, and sending each of them once.

A reminder is recorded in `SentReminder` under its unique (kind, subject, recipient, period)
before its mail is queued, so running the daily command twice sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import selectinload

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.assessments.models import OPEN_STATUSES, Assessment
from portal.extensions import db
from portal.notifications.contacts import mail_contact
from portal.notifications.logic import mail_user
from portal.reminders.models import SentReminder
from portal.suppliers.models import Supplier, SupplierContact
from portal.urls import absolute_url, portal_path

if TYPE_CHECKING:
    from portal.auth.models import User

FAMILIES = ("action_due", "action_overdue", "escalation", "assessment_due", "assessment_overdue")


@dataclass
class Reminder:
    """One mail to send: what about, to whom, and for which period."""

    family: str  # one of FAMILIES; also the mail template's name after "reminder_"
    kind: str  # e.g. action_due_7, action_overdue, escalation
    subject_type: str  # action or assessment
    subject: CorrectiveAction | Assessment
    recipient: User
    period: str
    days: int  # days before the due date, or days overdue
    sign_in: bool  # a supplier contact gets a sign-in link

    @property
    def key(self) -> tuple[str, str, int, str, str]:
        return (self.kind, self.subject_type, self.subject.id, self.recipient.email, self.period)


def lead_days_setting() -> tuple[int, ...]:
    """REMINDER_DAYS ("7,1") as a tuple of whole days."""
    raw = current_app.config.get("REMINDER_DAYS", "7,1")
    if isinstance(raw, str):
        raw = [part for part in raw.split(",") if part.strip()]
    return tuple(sorted({int(day) for day in raw}, reverse=True))


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def overdue_week(due_date: date, today: date) -> int:
    """1 in the calendar week the due date passed, 2 in the next one, and so on."""
    first_overdue = due_date + timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    first_monday = first_overdue - timedelta(days=first_overdue.weekday())
    return (monday - first_monday).days // 7 + 1


def _contacts(supplier: Supplier) -> list[User]:
    return supplier.active_contacts


def _candidates(today: date, lead_days: tuple[int, ...]) -> list[Reminder]:
    week = iso_week(today)
    reminders: list[Reminder] = []
    due_dates = [today + timedelta(days=n) for n in lead_days]

    actions = db.session.scalars(
        select(CorrectiveAction)
        .where(
            CorrectiveAction.status != ActionStatus.CLOSED,
            (CorrectiveAction.due_date < today) | CorrectiveAction.due_date.in_(due_dates),
        )
        .options(
            selectinload(CorrectiveAction.supplier)
            .selectinload(Supplier.contact_links)
            .joinedload(SupplierContact.user),
            selectinload(CorrectiveAction.created_by),
        )
        .order_by(CorrectiveAction.id)
    ).all()
    for action in actions:
        contacts = _contacts(action.supplier)
        if action.is_overdue(today):
            days = (today - action.due_date).days
            for contact in contacts:
                reminders.append(
                    Reminder(
                        "action_overdue",
                        "action_overdue",
                        "action",
                        action,
                        contact,
                        week,
                        days,
                        True,
                    )
                )
            buyer = action.created_by
            if overdue_week(action.due_date, today) >= 2 and buyer is not None and buyer.active:
                reminders.append(
                    Reminder("escalation", "escalation", "action", action, buyer, week, days, False)
                )
        else:
            days = (action.due_date - today).days
            for contact in contacts:
                reminders.append(
                    Reminder(
                        "action_due",
                        f"action_due_{days}",
                        "action",
                        action,
                        contact,
                        action.due_date.isoformat(),
                        days,
                        True,
                    )
                )

    assessments = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.status.in_([status.value for status in OPEN_STATUSES]),
            (Assessment.due_date < today) | Assessment.due_date.in_(due_dates),
        )
        .options(
            selectinload(Assessment.supplier)
            .selectinload(Supplier.contact_links)
            .joinedload(SupplierContact.user)
        )
        .order_by(Assessment.id)
    ).all()
    for assessment in assessments:
        if assessment.due_date < today:
            family, kind = "assessment_overdue", "assessment_overdue"
            period, days = week, (today - assessment.due_date).days
        else:
            days = (assessment.due_date - today).days
            family, kind = "assessment_due", f"assessment_due_{days}"
            period = assessment.due_date.isoformat()
        for contact in _contacts(assessment.supplier):
            reminders.append(
                Reminder(family, kind, "assessment", assessment, contact, period, days, True)
            )
    return reminders


def due_reminders(today: date, *, lead_days: tuple[int, ...] | None = None) -> list[Reminder]:
    """The reminders to send on `today` that were not sent yet."""
    lead_days = lead_days_setting() if lead_days is None else tuple(lead_days)
    candidates = _candidates(today, lead_days)
    if not candidates:
        return []
    keys = [reminder.key for reminder in candidates]
    columns = (
        SentReminder.kind,
        SentReminder.subject_type,
        SentReminder.subject_id,
        SentReminder.recipient,
        SentReminder.period,
    )
    sent: set[tuple] = set()
    for start in range(0, len(keys), 200):
        chunk = keys[start : start + 200]
        rows = db.session.execute(select(*columns).where(tuple_(*columns).in_(chunk)))
        sent.update(tuple(row) for row in rows)
    return [reminder for reminder in candidates if reminder.key not in sent]


def _record(reminder: Reminder) -> bool:
    """Insert the SentReminder row; False when it exists already (sent by another run)."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        dialect_insert = insert
    kind, subject_type, subject_id, recipient, period = reminder.key
    statement = dialect_insert(SentReminder).values(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        recipient=recipient,
        period=period,
        supplier_id=reminder.subject.supplier_id,
    )
    if hasattr(statement, "on_conflict_do_nothing"):
        statement = statement.on_conflict_do_nothing(
            index_elements=["kind", "subject_type", "subject_id", "recipient", "period"]
        )
    return db.session.execute(statement.returning(SentReminder.id)).first() is not None


def send_reminders(today: date, *, lead_days: tuple[int, ...] | None = None) -> dict[str, int]:
    """Record and queue every due reminder once; return how many of each family were queued.

    The caller commits (the SentReminder rows and the outbox mail go in one transaction).
    """
    counts: Counter[str] = Counter({family: 0 for family in FAMILIES})
    for reminder in due_reminders(today, lead_days=lead_days):
        if not _record(reminder):
            continue
        context: dict[str, object] = {
            "days_left" if reminder.family.endswith("_due") else "days_late": reminder.days,
        }
        if reminder.subject_type == "action":
            context["action"] = reminder.subject
            landing = portal_path("supplier_actions.show", action_id=reminder.subject.id)
        else:
            context["assessment"] = reminder.subject
            landing = portal_path("supplier.overview", assessment_id=reminder.subject.id)
        template = f"reminder_{reminder.family}"
        if reminder.sign_in:
            mail_contact(
                reminder.recipient,
                template,
                supplier=reminder.subject.supplier,
                landing=landing,
                **context,
            )
        else:
            url = absolute_url("actions.show", action_id=reminder.subject.id)
            mail_user(
                reminder.recipient, template, url=url, supplier=reminder.subject.supplier, **context
            )
        counts[reminder.family] += 1
    return dict(counts)
