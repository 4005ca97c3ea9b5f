"""Assigning one questionnaire, with one due date, to many suppliers at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.assessments.logic import assign
from portal.assessments.models import OPEN_STATUSES, Assessment, AssessmentStatus
from portal.auth.models import User
from portal.dashboard.query import Filters, matching_supplier_ids
from portal.due_dates import check_due_date
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.refusals import Refused
from portal.suppliers.models import Supplier, SupplierContact

MAX_AT_ONCE = 10_000


class BulkRefused(Refused):
    """A bulk assignment that cannot be made; `message` says why, for the user."""


@dataclass(frozen=True)
class BulkAssigned:
    """What a bulk assignment did."""

    assigned: int
    skipped: int  # suppliers that had this questionnaire open already
    mails: int  # invitations queued (0 when the buyer chose not to invite)


def assign_many(
    *,
    filters: Filters,
    selected: list[int],
    everyone: bool,
    questionnaire_id: int | None,
    due: date | None,
    today: date,
    by: User,
    invite: bool = False,
) -> BulkAssigned:
    """Assign to the selected suppliers (or all that match the filters); with `invite`,
    mail their active contacts a sign-in link to the new questionnaire.

    Suppliers that already have this questionnaire open are skipped, not given a second one.
    """
    version = db.session.get(QuestionnaireVersion, questionnaire_id) if questionnaire_id else None
    if version is None:
        raise BulkRefused(_("Choose a questionnaire."))
    due_date = check_due_date(due, today=today, refused=BulkRefused)  # before any write
    if everyone:
        ids = matching_supplier_ids(filters, today)
    else:
        ids = list(db.session.scalars(select(Supplier.id).where(Supplier.id.in_(selected))))
    if not ids:
        raise BulkRefused(_("Select at least one supplier."))
    if len(ids) > MAX_AT_ONCE:
        raise BulkRefused(_("At most %(max)d suppliers at once.", max=MAX_AT_ONCE))
    busy = set(
        db.session.scalars(
            select(Assessment.supplier_id)
            .join(QuestionnaireVersion)
            .where(
                Assessment.supplier_id.in_(ids),
                QuestionnaireVersion.key == version.key,
                Assessment.status.in_(OPEN_STATUSES),
            )
        )
    )
    suppliers = db.session.scalars(
        select(Supplier).where(Supplier.id.in_([i for i in ids if i not in busy]))
    ).all()
    for supplier in suppliers:
        assign(supplier, version, due_date, by=by, today=today)
    mails = _invite([s.id for s in suppliers], version, by) if invite else 0
    return BulkAssigned(len(suppliers), len(busy), mails)


def _invite(supplier_ids: list[int], version: QuestionnaireVersion, by: User) -> int:
    """Mail the contacts of each supplier given `version` just now; return how many mails."""
    from portal.assessments.notify import notify_assigned

    if not supplier_ids:
        return 0
    new = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.supplier_id.in_(supplier_ids),
            Assessment.questionnaire_id == version.id,
            Assessment.status == AssessmentStatus.INVITED,
        )
        .options(
            selectinload(Assessment.supplier)
            .selectinload(Supplier.contact_links)
            .joinedload(SupplierContact.user)
        )
        .order_by(Assessment.id)
    )
    return sum(notify_assigned(assessment, by=by) for assessment in new)
