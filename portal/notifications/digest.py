"""The daily digest: one mail per buyer listing what suppliers did since its last digest.

Each item is claimed (its `sent_at` set) in the same transaction that queues the mail, by
an UPDATE that only takes unclaimed items: a second run, even a concurrent one, finds
nothing left and sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.actions.models import CorrectiveAction
from portal.assessments.models import Assessment
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.buyers import ACTION_READY, ASSESSMENT_SUBMITTED
from portal.notifications.logic import mail_user
from portal.notifications.models import DigestItem
from portal.suppliers.models import Supplier
from portal.urls import absolute_url


@dataclass(frozen=True)
class DigestLine:
    """One item of a digest mail, with what the mail shows of it."""

    kind: str
    created_at: datetime
    supplier: Supplier
    subject: Assessment | CorrectiveAction
    url: str


def _claim(user: User, now: datetime) -> list[DigestItem]:
    """Mark the user's waiting items as sent and return them (none when another run did)."""
    ids = db.session.scalars(
        update(DigestItem)
        .where(DigestItem.user_id == user.id, DigestItem.sent_at.is_(None))
        .values(sent_at=now)
        .returning(DigestItem.id)
    ).all()
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.id.in_(ids))
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )


def _lines(items: list[DigestItem]) -> list[DigestLine]:
    """Items whose assessment or action still exists, with their subjects loaded in bulk."""
    wanted = {
        ASSESSMENT_SUBMITTED: (Assessment, "buyer_assessments.show", "assessment_id"),
        ACTION_READY: (CorrectiveAction, "actions.show", "action_id"),
    }
    subjects: dict[tuple[str, int], Assessment | CorrectiveAction] = {}
    for kind, (model, _endpoint, _arg) in wanted.items():
        ids = [item.subject_id for item in items if item.kind == kind]
        if ids:
            query = select(model).where(model.id.in_(ids)).options(selectinload(model.supplier))
            for row in db.session.scalars(query):
                subjects[kind, row.id] = row
    lines = []
    for item in items:
        subject = subjects.get((item.kind, item.subject_id))
        if subject is None:
            continue
        _model, endpoint, arg = wanted[item.kind]
        lines.append(
            DigestLine(
                kind=item.kind,
                created_at=item.created_at,
                supplier=subject.supplier,
                subject=subject,
                url=absolute_url(endpoint, **{arg: subject.id}),
            )
        )
    return lines


def send_digests(now: datetime | None = None) -> int:
    """Queue one digest mail for each active buyer with waiting items; return how many.

    The caller commits (the claimed items and the outbox mail go in one transaction).
    """
    now = now or utcnow()
    waiting = (
        select(User)
        .where(
            User.active.is_(True),
            User.id.in_(select(DigestItem.user_id).where(DigestItem.sent_at.is_(None))),
        )
        .order_by(User.id)
    )
    sent = 0
    for user in db.session.scalars(waiting).all():
        lines = _lines(_claim(user, now))
        if not lines:
            continue
        mail_user(
            user,
            "buyer_digest",
            lines=lines,
            settings_url=absolute_url("notifications.settings"),
        )
        sent += 1
    return sent
